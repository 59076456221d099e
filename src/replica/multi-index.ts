// Rows of a table by a non-unique key (a port's name), maintained row by row
// as a snapshot diff reports them; knows how many keys have several rows,
// since then the table's order decides and callers fall back to a full walk.
const NONE: readonly never[] = [];

export class MultiIndex<T extends { readonly _uuid: string }> {
  private readonly byKey = new Map<string, T[]>();
  private dups = 0;

  /** Keys with more than one row. */
  get duplicated(): number {
    return this.dups;
  }

  add(key: string, row: T): void {
    const l = this.byKey.get(key);
    if (!l) this.byKey.set(key, [row]);
    else {
      if (l.length === 1) this.dups++;
      l.push(row);
    }
  }

  remove(key: string, row: T): void {
    const l = this.byKey.get(key);
    const i = l ? l.findIndex((r) => r._uuid === row._uuid) : -1;
    if (!l || i < 0) return;
    if (l.length === 2) this.dups--;
    l.splice(i, 1);
    if (!l.length) this.byKey.delete(key);
  }

  first(key: string): T | undefined {
    return this.byKey.get(key)?.[0];
  }

  /** Every row with this key, in the order they were added (do not modify). */
  rows(key: string): readonly T[] {
    return this.byKey.get(key) ?? NONE;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }
}
