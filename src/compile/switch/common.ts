// Small facts the switch flow builders share: multicast group names, the
// control-plane meter (CoPP) a flow gets, and the register bits northd names.
import type { CompileContext } from '../context.js';
import type { Switch } from '../topology.js';
import { coppMeterOf } from '../copp.js';

export const MC_FLOOD = '_MC_flood';
export const MC_UNKNOWN = '_MC_unknown';
export const MC_MROUTER_FLOOD = '_MC_mrouter_flood';
export const MC_STATIC = '_MC_static';
export const MC_FLOOD_L2 = '_MC_flood_l2';

export const REGBIT_PORT_SEC_DROP = 'reg0[15]';
export const REGBIT_LKUP_FDB = 'reg0[11]';
export const REGBIT_FROM_RAMP = 'reg0[14]';
export const REGBIT_DNS_LOOKUP_RESULT = 'reg0[4]';
export const FLAGBIT_NOT_VXLAN = 'flags[1] == 0';

/** Control-plane protocols a switch's Copp row can meter (lib/copp.c names). */
export type CoppProto = 'igmp' | 'nd-na' | 'dns' | 'svc-monitor' | 'dhcpv4-opts' | 'dhcpv6-opts' | 'event-elb' | 'reject';

/** copp_meter_get(): the meter named by the switch's Copp row, if that meter exists. */
export function coppMeter(ctx: CompileContext, sw: Switch, proto: CoppProto): string | undefined {
  return coppMeterOf(ctx, sw.nb.copp, proto);
}
