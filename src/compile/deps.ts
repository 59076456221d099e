// Dependencies of a unit of incremental work, recorded as data.
//
// A unit (one switch's flows, one load balancer's flows) is recomputed only
// when one of its dependencies changed.  Dependencies are of three kinds:
//  * a row it read from the NB (table, UUID → the row object it saw; rows are
//    immutable snapshots, so "changed" is a pointer comparison);
//  * a whole table it scanned (the table object it saw);
//  * a derived value it read (a key into an index, or a fingerprint of facts
//    computed outside the unit), compared by value.
// The NB reads are recorded by giving the unit's builders a context whose
// tables log every get()/has() and every scan; the derived values are named
// explicitly by the unit.  `describe()` prints them (inc-engine/show-graph).
import type { NbView } from './context.js';

export type DerivedValue = string | number | boolean | undefined | object;

export class DepRecorder {
  readonly rows = new Map<string, Map<string, unknown>>();
  readonly tables = new Map<string, unknown>();
  readonly derived = new Map<string, DerivedValue>();
  /** Table → the table object in which all its row dependencies were last seen to hold. */
  private readonly verified = new Map<string, unknown>();

  /** `table`: the table object the row was read from, when known (rows of an unchanged table hold). */
  row(name: string, uuid: string, value: unknown, table?: unknown): void {
    let t = this.rows.get(name);
    if (!t) {
      this.rows.set(name, (t = new Map()));
      if (table !== undefined) this.verified.set(name, table);
    }
    if (!t.has(uuid)) t.set(uuid, value);
  }

  table(table: string, value: unknown): void {
    if (!this.tables.has(table)) this.tables.set(table, value);
  }

  value(name: string, value: DerivedValue): void {
    if (!this.derived.has(name)) this.derived.set(name, value);
  }

  /** True when every recorded dependency still holds in `nb` and `derived`. */
  holds(nb: NbView, derived: (name: string) => DerivedValue): boolean {
    for (const [table, value] of this.tables) if ((nb as unknown as Record<string, unknown>)[table] !== value) return false;
    const seen: [string, unknown][] = [];
    for (const [table, rows] of this.rows) {
      const t = (nb as unknown as Record<string, ReadonlyMap<string, unknown>>)[table]!;
      // Rows are immutable and tables persistent: in the same table object every row is the same.
      if (this.verified.get(table) === t) continue;
      for (const [uuid, value] of rows) if (t.get(uuid) !== value) return false;
      seen.push([table, t]);
    }
    for (const [name, value] of this.derived) if (!sameValue(derived(name), value)) return false;
    for (const [table, t] of seen) this.verified.set(table, t);
    return true;
  }

  /** The dependencies as lines: "row ACL/1234abcd", "table Meter", "value pg-uuids-of/…". */
  describe(): string[] {
    const out: string[] = [];
    for (const t of this.tables.keys()) out.push(`table ${t}`);
    for (const [t, rows] of this.rows) for (const u of rows.keys()) out.push(`row ${t}/${u.slice(0, 8)}`);
    for (const n of this.derived.keys()) out.push(`value ${n}`);
    return out;
  }
}

/** Two arrays holding the same objects in the same order. */
export function sameElements<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Values are equal when identical, or arrays of identical elements, or equal strings. */
export function sameValue(a: DerivedValue, b: DerivedValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  return false;
}

/** A table that records what is read from it. */
class TrackedTable<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly name: string,
    private readonly inner: ReadonlyMap<string, V>,
    private readonly rec: DepRecorder,
  ) {}
  get(key: string): V | undefined {
    const v = this.inner.get(key);
    this.rec.row(this.name, key, v, this.inner);
    return v;
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  private scanned(): ReadonlyMap<string, V> {
    this.rec.table(this.name, this.inner);
    return this.inner;
  }
  get size(): number {
    return this.scanned().size;
  }
  forEach(cb: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.scanned().forEach((v, k) => cb.call(thisArg, v, k, this));
  }
  entries(): MapIterator<[string, V]> {
    return this.scanned().entries() as MapIterator<[string, V]>;
  }
  keys(): MapIterator<string> {
    return this.scanned().keys() as MapIterator<string>;
  }
  values(): MapIterator<V> {
    return this.scanned().values() as MapIterator<V>;
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

/** A view of `nb` whose tables record every read into `rec`. */
export function trackedView(nb: NbView, rec: DepRecorder): NbView {
  const out: Record<string, unknown> = {};
  for (const [name, table] of Object.entries(nb)) {
    out[name] = new TrackedTable(name, table as ReadonlyMap<string, unknown>, rec);
  }
  return out as unknown as NbView;
}
