// Differences between two compile results, row by row: used by the property
// test (incremental == full) and by the daemon's runtime self-check.
import type { DesiredSb } from './desired.js';
import type { MergedFlow } from './lflow.js';

export interface Divergence {
  /** "Logical_Flow", "Port_Binding", ... */
  readonly table: string;
  readonly key: string;
  /** JSON of the row on each side (undefined = missing on that side). */
  readonly incremental: string | undefined;
  readonly full: string | undefined;
}

function flowText(m: MergedFlow | undefined): string | undefined {
  if (!m) return undefined;
  const f = m.flow;
  return JSON.stringify({
    stage: f.stage.name,
    priority: f.priority,
    match: f.match,
    actions: f.actions,
    meter: f.meter,
    hint: f.hint,
    ioPort: f.ioPort,
    datapaths: [...m.datapaths].sort(),
  });
}

/** JSON with object keys sorted, so that equal rows print equally. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

function compareMaps<V>(
  out: Divergence[],
  table: string,
  inc: ReadonlyMap<string, V>,
  full: ReadonlyMap<string, V>,
  text: (v: V | undefined) => string | undefined,
  limit: number,
): void {
  for (const [k, v] of full) {
    if (out.length >= limit) return;
    const a = text(inc.get(k));
    const b = text(v);
    if (a !== b) out.push({ table, key: k, incremental: a, full: b });
  }
  for (const [k, v] of inc) {
    if (out.length >= limit) return;
    if (!full.has(k)) out.push({ table, key: k, incremental: text(v), full: undefined });
  }
}

const opt = <V>(v: V | undefined): string | undefined => (v === undefined ? undefined : canon(v));

/** Every difference (up to `limit`) between an incremental result and a full compile. */
export function compareDesired(inc: DesiredSb, full: DesiredSb, limit = 50): Divergence[] {
  const out: Divergence[] = [];
  compareMaps(out, 'Logical_Flow', inc.flows.flows, full.flows.flows, flowText, limit);
  compareMaps(out, 'Datapath_Binding', inc.datapaths, full.datapaths, opt, limit);
  compareMaps(out, 'Port_Binding', inc.portBindings, full.portBindings, opt, limit);
  const byDpName = <T extends { datapath: string }>(rows: readonly T[], name: (r: T) => string) =>
    new Map(rows.map((r) => [`${r.datapath}/${name(r)}`, r] as const));
  compareMaps(out, 'Multicast_Group', byDpName(inc.multicastGroups, (r) => r.name), byDpName(full.multicastGroups, (r) => r.name), opt, limit);
  compareMaps(out, 'IP_Multicast', byDpName(inc.ipMulticast, () => ''), byDpName(full.ipMulticast, () => ''), opt, limit);
  compareMaps(out, 'Load_Balancer', inc.loadBalancers, full.loadBalancers, opt, limit);
  compareMaps(out, 'Address_Set', inc.addressSets, full.addressSets, opt, limit);
  compareMaps(out, 'Port_Group', inc.portGroups, full.portGroups, opt, limit);
  compareMaps(out, 'Meter', inc.meters, full.meters, opt, limit);
  compareMaps(out, 'Chassis_Template_Var', inc.templateVars, full.templateVars, opt, limit);
  compareMaps(out, 'DNS', inc.dns, full.dns, opt, limit);
  compareMaps(out, 'Mirror', inc.mirrors, full.mirrors, opt, limit);
  compareMaps(out, 'Service_Monitor', inc.serviceMonitors, full.serviceMonitors, opt, limit);
  compareMaps(out, 'HA_Chassis_Group', inc.haChassisGroups, full.haChassisGroups, opt, limit);
  compareMaps(out, 'Static_MAC_Binding', inc.staticMacBindings, full.staticMacBindings, opt, limit);
  compareMaps(out, 'BFD', inc.bfd, full.bfd, opt, limit);
  compareMaps(out, 'NB BFD status', inc.nbBfdStatus, full.nbBfdStatus, opt, limit);
  compareMaps(out, 'SB_Global', new Map([['options', inc.sbGlobalOptions]]), new Map([['options', full.sbGlobalOptions]]), opt, limit);
  compareMaps(out, 'NB_Global', new Map([['options', inc.nbGlobalOptions]]), new Map([['options', full.nbGlobalOptions]]), opt, limit);
  compareMaps(out, 'LSP dynamic_addresses', inc.lspDynamicAddresses, full.lspDynamicAddresses, opt, limit);
  return out;
}
