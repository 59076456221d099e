// Offline compile of an NB snapshot: load, compile, print as lflow-list.
import type { SbView } from '../compile/context.js';
import { compile } from '../compile/compile.js';
import type { DesiredSb } from '../compile/desired.js';
import type { FreshRandom } from '../compile/global.js';
import { formatLflowList } from '../sb/lflow-list.js';
import { listDesiredFlows } from '../sb/listing.js';
import { loadNbView, loadSbView } from './load.js';

/**
 * SB tables that are northd's input rather than its output: replaying with
 * only these shows what northd produces from scratch (new tunnel keys etc.).
 */
export const SB_INPUT_TABLES = new Set([
  'Chassis',
  'Chassis_Private',
  'Encap',
  'MAC_Binding',
  'FDB',
  'Controller_Event',
  'IGMP_Group',
  'Connection',
  'SSL',
]);

export function sbInputsOnly(sb: SbView): SbView {
  const out: Record<string, ReadonlyMap<string, unknown>> = {};
  for (const [name, rows] of Object.entries(sb)) out[name] = SB_INPUT_TABLES.has(name) ? rows : new Map();
  return out as unknown as SbView;
}

/** Used only when the NB lacks mac_prefix/svc_monitor_mac (a snapshot the reference never saw). */
const REPLAY_FRESH: FreshRandom = { macPrefix: '0a:00:00', svcMonitorMac: '0a:00:00:00:00:01' };

export interface ReplayOptions {
  /** Keep the northd-owned SB rows of the SB snapshot (reuse their tunnel keys). */
  readonly keepSbState?: boolean;
}

export function replay(nbPath: string, sbPath?: string, opts: ReplayOptions = {}): DesiredSb {
  const nb = loadNbView(nbPath);
  const sbFull = loadSbView(sbPath);
  const sb = opts.keepSbState ? sbFull : sbInputsOnly(sbFull);
  return compile({ nb, sb }, REPLAY_FRESH);
}

export function replayText(desired: DesiredSb): string {
  return formatLflowList(listDesiredFlows(desired));
}
