// SB Meter/Meter_Band rows (northd.c sync_meters()): every NB meter under its
// own name, plus a private copy "<meter>__<acl uuid>" of a fair meter for
// every ACL that names one (`log(meter="<meter>__<uuid>")` in the ACL's flow
// then rate-limits that ACL's log on its own).  ovn-controller installs an
// OpenFlow meter only for the meters it finds here: without them logging
// and CoPP are not rate-limited.
//
// Incremental: the NB meters are re-read only when the Meter or Meter_Band
// table changed; otherwise only the ACLs that changed are looked at.
import type { NbACL, NbMeter, NbMeterBand } from '../model/nb.js';
import { ShardedMap } from '../replica/sharded-map.js';

export interface DesiredMeterBand {
  readonly action: string;
  readonly rate: number;
  readonly burst_size: number;
}

export interface DesiredMeter {
  readonly unit: string;
  /** In band_cmp() order: rate, then burst size, descending; then action. */
  readonly bands: readonly DesiredMeterBand[];
}

/** The reference's band order, so that equal band sets compare equal. */
export function compareBands(a: DesiredMeterBand, b: DesiredMeterBand): number {
  if (a.rate !== b.rate) return a.rate > b.rate ? -1 : 1;
  if (a.burst_size !== b.burst_size) return a.burst_size > b.burst_size ? -1 : 1;
  return a.action < b.action ? -1 : a.action > b.action ? 1 : 0;
}

export function desiredMeter(m: NbMeter, bands: ReadonlyMap<string, NbMeterBand>): DesiredMeter {
  const out: DesiredMeterBand[] = [];
  for (const u of m.bands) {
    const b = bands.get(u);
    if (b) out.push({ action: b.action, rate: b.rate, burst_size: b.burst_size });
  }
  return { unit: m.unit, bands: out.sort(compareBands) };
}

/** The name of an ACL's private copy of its fair meter (alloc_acl_log_unique_meter_name()). */
export function aclMeterName(acl: NbACL): string {
  return `${acl.meter}__${acl._uuid}`;
}

interface Tables {
  readonly meter: ReadonlyMap<string, NbMeter>;
  readonly band: ReadonlyMap<string, NbMeterBand>;
  readonly acl: ReadonlyMap<string, NbACL>;
}

/** The desired SB meters, kept from run to run (one per Compiler). */
export class MeterSync {
  private last: Tables | undefined;
  /** NB meter name → its desired row, fair meters by name. */
  private base = new Map<string, DesiredMeter>();
  private fair = new Map<string, DesiredMeter>();
  /** ACL UUID → [copy name, row] for ACLs naming a fair meter. */
  private readonly copies = new Map<string, readonly [string, DesiredMeter]>();
  private out: Map<string, DesiredMeter> | undefined;

  update(nb: { Meter: ReadonlyMap<string, NbMeter>; Meter_Band: ReadonlyMap<string, NbMeterBand>; ACL: ReadonlyMap<string, NbACL> }): ReadonlyMap<string, DesiredMeter> {
    const cur: Tables = { meter: nb.Meter, band: nb.Meter_Band, acl: nb.ACL };
    const prev = this.last;
    this.last = cur;
    if (prev && this.out && prev.meter === cur.meter && prev.band === cur.band && prev.acl === cur.acl) return this.out;
    let changed = false;
    if (!prev || prev.meter !== cur.meter || prev.band !== cur.band) {
      this.base = new Map();
      this.fair = new Map();
      for (const m of cur.meter.values()) {
        if (this.base.has(m.name)) continue;
        const row = desiredMeter(m, cur.band);
        // The SB needs at least one band (a real NB meter always has one).
        if (!row.bands.length) continue;
        this.base.set(m.name, row);
        if (m.fair === true) this.fair.set(m.name, row);
      }
      this.copies.clear();
      for (const acl of cur.acl.values()) this.setCopy(acl);
      changed = true;
    } else {
      ShardedMap.diff(prev.acl, cur.acl, (u, _before, after) => {
        const had = this.copies.get(u);
        this.copies.delete(u);
        if (after) this.setCopy(after);
        const now = this.copies.get(u);
        if (had?.[0] !== now?.[0] || had?.[1] !== now?.[1]) changed = true;
      });
    }
    if (changed || !this.out) {
      const out = new Map(this.base);
      for (const [name, row] of this.copies.values()) if (!out.has(name)) out.set(name, row);
      this.out = out;
    }
    return this.out;
  }

  private setCopy(acl: NbACL): void {
    if (acl.meter === undefined) return;
    const row = this.fair.get(acl.meter);
    if (row) this.copies.set(acl._uuid, [aclMeterName(acl), row]);
  }
}
