// Ingress tables ls_in_pre_hairpin, ls_in_nat_hairpin and ls_in_hairpin (man
// ovn-northd "Pre-Hairpin", "Nat-Hairpin", "Hairpin"): a load-balanced packet
// whose backend is its own sender is SNATed to the VIP and looped back.
// Traffic arriving from a VTEP ramp switch goes straight to L2 lookup, except
// ARP/ND for distributed gateway ports resident on this chassis.
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_HAIRPIN, LS_IN_L2_LKUP, LS_IN_NAT_HAIRPIN, LS_IN_PRE_HAIRPIN } from '../stages.js';
import { REGBIT_FROM_RAMP, REGBIT_HAIRPIN, REGBIT_HAIRPIN_REPLY } from './stateful-regs.js';
import { type SwitchStatefulInput, jsonKey } from './stateful-common.js';

/** build_lb_hairpin(). */
export function buildLbHairpin(input: SwitchStatefulInput): LFlow[] {
  const { sw, facts } = input;
  const sink = new FlowSink();
  sink.add(LS_IN_PRE_HAIRPIN, 0, '1', 'next;');
  sink.add(LS_IN_NAT_HAIRPIN, 0, '1', 'next;');
  sink.add(LS_IN_HAIRPIN, 0, '1', 'next;');
  if (!facts.hasLbVip) return sink.out;

  const hint = { hint: sw._uuid };
  sink.add(
    LS_IN_PRE_HAIRPIN,
    100,
    'ip && ct.trk',
    `${REGBIT_HAIRPIN} = chk_lb_hairpin(); ${REGBIT_HAIRPIN_REPLY} = chk_lb_hairpin_reply(); next;`,
    hint,
  );
  // New hairpinned sessions are SNATed to the VIP; established ones already have the entry.
  sink.add(LS_IN_NAT_HAIRPIN, 100, `ip && ct.new && ct.trk && ${REGBIT_HAIRPIN} == 1`, 'ct_snat_to_vip; next;', hint);
  sink.add(LS_IN_NAT_HAIRPIN, 100, `ip && ct.est && ct.trk && ${REGBIT_HAIRPIN} == 1`, 'ct_snat;', hint);
  sink.add(LS_IN_NAT_HAIRPIN, 90, `ip && ${REGBIT_HAIRPIN_REPLY} == 1`, 'ct_snat;', hint);
  sink.add(
    LS_IN_HAIRPIN,
    1,
    `(${REGBIT_HAIRPIN} == 1 || ${REGBIT_HAIRPIN_REPLY} == 1)`,
    'eth.dst <-> eth.src; outport = inport; flags.loopback = 1; output;',
  );
  return sink.out;
}

/** build_vtep_hairpin(). */
export function buildVtepHairpin(input: SwitchStatefulInput): LFlow[] {
  const { facts } = input;
  const sink = new FlowSink();
  if (!facts.hasVtepLports) return sink.out;
  sink.add(LS_IN_HAIRPIN, 1000, `${REGBIT_FROM_RAMP} == 1`, `next(pipeline=ingress, table=${LS_IN_L2_LKUP.table});`);
  for (const lrp of facts.l3dgwPeers) {
    sink.add(LS_IN_HAIRPIN, 2000, `${REGBIT_FROM_RAMP} == 1 && is_chassis_resident(${jsonKey(`cr-${lrp}`)})`, 'next;');
  }
  return sink.out;
}
