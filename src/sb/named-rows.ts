// The SB tables northd keys by a unique name: Address_Set, Port_Group,
// Meter (with its Meter_Band rows) and Chassis_Template_Var (by its chassis).  The full diff compares every row; the
// incremental one only the names whose desired value or SB rows changed.
import type { SbView } from '../compile/context.js';
import { compareBands, type DesiredMeter } from '../compile/meters.js';
import type { SbMeter, SbMeterBand } from '../model/sb.js';
import type { OpBuilder, Cols } from './differ.js';

export type NamedTable = 'Address_Set' | 'Port_Group' | 'Meter' | 'Chassis_Template_Var';

/** The column that names a row of each named table. */
export const NAME_COLUMN: Readonly<Record<NamedTable, 'name' | 'chassis'>> = { Address_Set: 'name', Port_Group: 'name', Meter: 'name', Chassis_Template_Var: 'chassis' };

/** A row of a named table, seen through its name column. */
export interface NamedRow {
  readonly _uuid: string;
  readonly name?: string;
  readonly chassis?: string;
}

export function nameOf(table: NamedTable, row: NamedRow): string {
  return row[NAME_COLUMN[table]] ?? '';
}

export interface NamedWants {
  readonly Address_Set: ReadonlyMap<string, readonly string[]>;
  readonly Port_Group: ReadonlyMap<string, readonly string[]>;
  readonly Meter: ReadonlyMap<string, DesiredMeter>;
  readonly Chassis_Template_Var: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export function namedWants(d: {
  addressSets: NamedWants['Address_Set'];
  portGroups: NamedWants['Port_Group'];
  meters: NamedWants['Meter'];
  templateVars: NamedWants['Chassis_Template_Var'];
}): NamedWants {
  return { Address_Set: d.addressSets, Port_Group: d.portGroups, Meter: d.meters, Chassis_Template_Var: d.templateVars };
}

/** Whether an SB meter's bands (rows of `bands`) are the desired ones, in any order. */
function sameBands(have: SbMeter, want: DesiredMeter, bands: ReadonlyMap<string, SbMeterBand>): boolean {
  if (have.bands.length !== want.bands.length) return false;
  const got: SbMeterBand[] = [];
  for (const u of have.bands) {
    const b = bands.get(u);
    if (!b) return false;
    got.push(b);
  }
  got.sort(compareBands);
  return got.every((b, i) => b.rate === want.bands[i]!.rate && b.burst_size === want.bands[i]!.burst_size && b.action === want.bands[i]!.action);
}

/** Inserts or updates one meter; new bands are inserted (the old ones, not a root table, go with their last reference). */
function syncMeter(b: OpBuilder, have: SbMeter | undefined, name: string, want: DesiredMeter, bands: ReadonlyMap<string, SbMeterBand>): void {
  const newBands = (): unknown => want.bands.map((x) => b.insert('Meter_Band', { action: x.action, rate: x.rate, burst_size: x.burst_size }));
  if (!have) {
    b.insert('Meter', { name, unit: want.unit, bands: newBands() });
    return;
  }
  const cols: Cols = {};
  if (have.unit !== want.unit) cols['unit'] = want.unit;
  if (!sameBands(have, want, bands)) cols['bands'] = newBands();
  if (Object.keys(cols).length) b.update('Meter', have._uuid, cols);
}

function syncOne(b: OpBuilder, table: NamedTable, have: NamedRow | undefined, name: string, want: NamedWants, sb: SbView): void {
  if (table === 'Meter') {
    syncMeter(b, have as SbMeter | undefined, name, want.Meter.get(name)!, sb.Meter_Band);
    return;
  }
  if (table === 'Chassis_Template_Var') {
    b.sync(table, have, { chassis: name, variables: want.Chassis_Template_Var.get(name)! });
    return;
  }
  const values = table === 'Address_Set' ? want.Address_Set.get(name)! : want.Port_Group.get(name)!;
  b.sync(table, have, { name, [table === 'Address_Set' ? 'addresses' : 'ports']: [...values] });
}

function wantsName(want: NamedWants, table: NamedTable, name: string): boolean {
  return want[table].has(name);
}

/** Every row of a named table compared (the full diff). */
export function syncNamedTable(b: OpBuilder, table: NamedTable, sb: SbView, want: NamedWants): void {
  const byName = new Map<string, NamedRow>();
  for (const row of (sb[table] as ReadonlyMap<string, NamedRow>).values()) {
    const name = nameOf(table, row);
    if (!wantsName(want, table, name) || byName.has(name)) b.delete(table, row._uuid);
    else byName.set(name, row);
  }
  for (const name of want[table].keys()) syncOne(b, table, byName.get(name), name, want, sb);
}

/** Only `names` compared; `rowsOf` gives the SB rows of a name. */
export function syncNamedKeys(
  b: OpBuilder,
  table: NamedTable,
  sb: SbView,
  want: NamedWants,
  names: Iterable<string>,
  rowsOf: (name: string) => readonly NamedRow[],
  onWrite: (name: string) => void,
): number {
  let n = 0;
  for (const name of names) {
    n++;
    const before = b.ops.length;
    const wanted = wantsName(want, table, name);
    const have = b.keepFirst(table, rowsOf(name), wanted);
    if (wanted) syncOne(b, table, have, name, want, sb);
    if (b.ops.length !== before) onWrite(name);
  }
  return n;
}

/** Names whose desired value is not the same object in both maps. */
export function changedNames<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, out: Set<string>): void {
  if (a === b) return;
  for (const [k, v] of b) if (a.get(k) !== v) out.add(k);
  for (const k of a.keys()) if (!b.has(k)) out.add(k);
}
