/**
 * An immutable `ReadonlyMap<string, V>` with structural sharing, for tables
 * of up to hundreds of thousands of rows: entries live in 256 buckets chosen
 * by a hash of the key, and a new
 * version copies only the buckets an edit touches. Copying a whole 200k-entry
 * Map per update costs ~100 ms; this costs ~1/256 of it per touched bucket.
 * Iteration order: by bucket, then insertion order within a bucket.
 */

const NBUCKETS = 256;

/** FNV-1a over the key: robust even for non-random (e.g. sequential) UUIDs. */
function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ (h >>> 16)) & (NBUCKETS - 1);
}

const EMPTY: ReadonlyMap<string, unknown> = new Map<string, unknown>();

function diffMaps<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, cb: (key: string, before: V | undefined, after: V | undefined) => void): void {
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w !== v) cb(k, v, w);
  }
  for (const [k, w] of b) if (!a.has(k)) cb(k, undefined, w);
}

type Buckets<V> = (Map<string, V> | undefined)[];

export class ShardedMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly buckets: Buckets<V>,
    readonly size: number,
  ) {
    Object.freeze(this);
  }

  static empty<V>(): ShardedMap<V> {
    return new ShardedMap<V>(new Array(NBUCKETS).fill(undefined), 0);
  }

  static from<V>(entries: Iterable<readonly [string, V]>): ShardedMap<V> {
    const e = ShardedMap.empty<V>().edit();
    for (const [k, v] of entries) e.set(k, v);
    return e.finish();
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key);
  }

  /**
   * Calls `cb` for every key whose value differs (by identity) between `prev`
   * and `next`.  Two versions of one ShardedMap share their unchanged buckets,
   * so only the buckets an update touched are compared.
   */
  static diff<V>(
    prev: ReadonlyMap<string, V>,
    next: ReadonlyMap<string, V>,
    cb: (key: string, before: V | undefined, after: V | undefined) => void,
  ): void {
    if (prev === next) return;
    if (prev instanceof ShardedMap && next instanceof ShardedMap) {
      for (let i = 0; i < NBUCKETS; i++) {
        const a = (prev as ShardedMap<V>).buckets[i];
        const b = (next as ShardedMap<V>).buckets[i];
        if (a !== b) diffMaps<V>((a ?? EMPTY) as ReadonlyMap<string, V>, (b ?? EMPTY) as ReadonlyMap<string, V>, cb);
      }
      return;
    }
    diffMaps(prev, next, cb);
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]?.has(key) ?? false;
  }

  forEach(cb: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const b of this.buckets) if (b) for (const [k, v] of b) cb.call(thisArg, v, k, this);
  }

  *#entries(): Generator<[string, V], undefined, unknown> {
    for (const b of this.buckets) if (b) yield* b.entries();
    return undefined;
  }

  *#keys(): Generator<string, undefined, unknown> {
    for (const b of this.buckets) if (b) yield* b.keys();
    return undefined;
  }

  *#values(): Generator<V, undefined, unknown> {
    for (const b of this.buckets) if (b) yield* b.values();
    return undefined;
  }

  entries(): MapIterator<[string, V]> {
    return this.#entries() as unknown as MapIterator<[string, V]>;
  }

  keys(): MapIterator<string> {
    return this.#keys() as unknown as MapIterator<string>;
  }

  values(): MapIterator<V> {
    return this.#values() as unknown as MapIterator<V>;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'ShardedMap';
  }

  /** Start a batch of edits producing a new version (this one is unchanged). */
  edit(): ShardedMapEditor<V> {
    return new ShardedMapEditor<V>(this.buckets, this.size, (b, n) => new ShardedMap<V>(b, n));
  }
}

/** Mutable editor over a ShardedMap version; copies a bucket on its first write. */
export class ShardedMapEditor<V> {
  private readonly buckets: Buckets<V>;
  private readonly copied = new Uint8Array(NBUCKETS);
  private done = false;

  constructor(
    base: Buckets<V>,
    private size: number,
    private readonly make: (b: Buckets<V>, n: number) => ShardedMap<V>,
  ) {
    this.buckets = base.slice();
  }

  private writable(i: number): Map<string, V> {
    if (this.done) throw new Error('ShardedMapEditor used after finish()');
    let b = this.buckets[i];
    if (!this.copied[i]) {
      b = b ? new Map(b) : new Map();
      this.buckets[i] = b;
      this.copied[i] = 1;
    }
    return b!;
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key);
  }

  set(key: string, value: V): this {
    const i = bucketOf(key);
    const cur = this.buckets[i];
    // The value it already has: no copy of the bucket (callers re-set unchanged rows).
    if (cur !== undefined && cur.get(key) === value && (value !== undefined || cur.has(key))) {
      if (this.done) throw new Error('ShardedMapEditor used after finish()');
      return this;
    }
    const b = this.writable(i);
    const before = b.size;
    b.set(key, value);
    this.size += b.size - before;
    return this;
  }

  delete(key: string): boolean {
    const i = bucketOf(key);
    if (!this.buckets[i]?.has(key)) return false;
    this.writable(i).delete(key);
    this.size--;
    return true;
  }

  finish(): ShardedMap<V> {
    this.done = true;
    for (let i = 0; i < NBUCKETS; i++) if (this.buckets[i]?.size === 0) this.buckets[i] = undefined;
    return this.make(this.buckets, this.size);
  }
}
