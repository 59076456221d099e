// SB DNS (sync_dns_entries): one row per NB DNS row that some logical switch lists in
// dns_records, with the datapaths of those switches and the records' values in lower case
// (lookups are case-insensitive; the names are kept as written), keyed by external_ids:dns_id.
// ovn-controller answers the switch's DNS queries from it (ls_in_dns_lookup/response).
//
// Incremental: recomputed only when the switch or DNS table changed; an unchanged row keeps
// its desired object.
import type { NbDNS, NbLogicalSwitch } from '../model/nb.js';

export interface DesiredDns {
  readonly records: Readonly<Record<string, string>>;
  /** NB Logical_Switch UUIDs, sorted. */
  readonly datapaths: readonly string[];
}

export class DnsSync {
  private last: { ls: unknown; dns: unknown } | undefined;
  private out: ReadonlyMap<string, DesiredDns> = new Map();

  update(nb: { Logical_Switch: ReadonlyMap<string, NbLogicalSwitch>; DNS: ReadonlyMap<string, NbDNS> }): ReadonlyMap<string, DesiredDns> {
    if (this.last && this.last.ls === nb.Logical_Switch && this.last.dns === nb.DNS) return this.out;
    this.last = { ls: nb.Logical_Switch, dns: nb.DNS };
    const dps = new Map<string, string[]>();
    for (const sw of nb.Logical_Switch.values()) {
      for (const u of sw.dns_records) {
        if (!nb.DNS.has(u)) continue;
        const l = dps.get(u);
        if (l) l.push(sw._uuid);
        else dps.set(u, [sw._uuid]);
      }
    }
    const out = new Map<string, DesiredDns>();
    for (const [u, list] of dps) {
      const row = nb.DNS.get(u)!;
      list.sort();
      const prev = this.out.get(u);
      const records = prev && this.rows.get(u) === row ? prev.records : lowerValues(row.records);
      out.set(u, prev && prev.records === records && prev.datapaths.length === list.length && prev.datapaths.every((d, i) => d === list[i]) ? prev : { records, datapaths: list });
      this.rows.set(u, row);
    }
    for (const u of this.rows.keys()) if (!out.has(u)) this.rows.delete(u);
    this.out = out;
    return out;
  }

  private readonly rows = new Map<string, NbDNS>();
}

function lowerValues(records: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  // str_tolower(): ASCII letters only.
  for (const [k, v] of Object.entries(records)) out[k] = v.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return out;
}
