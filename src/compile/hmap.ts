// The iteration order of OVS's `struct hmap`, reproduced.
//
// The reference walks several hash maps where the walk order becomes
// visible: the IDL's table rows (which NB row gets the next free tunnel
// key), `sset`s rendered into a match ("{mac1, mac2}"), the datapath map.
// An hmap is an array of (mask + 1) buckets, each a singly linked list with
// the most recently inserted node first; it doubles when n / 2 > mask
// (lib/hmap.c resize(): old buckets are walked in order and each node is
// pushed onto the head of its new bucket).  Given the insertion order and
// the hash of every element we can replay that exactly.
//
// Hash functions: uuid_hash() is the UUID's first 32 bits; hash_string()
// is OVS's murmur-based hash_bytes() (the portable variant that the Debian
// build uses, not the SSE4.2 crc32 one).

/** uuid_hash(): the first 8 hex digits of the UUID as an unsigned number. */
export function uuidHash(uuid: string): number {
  return parseInt(uuid.slice(0, 8), 16) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function mhashAdd(hash: number, data: number): number {
  if (data !== 0) {
    let d = Math.imul(data, 0xcc9e2d51) >>> 0;
    d = rotl(d, 15);
    d = Math.imul(d, 0x1b873593) >>> 0;
    hash = (hash ^ d) >>> 0;
  }
  hash = rotl(hash, 13);
  return (Math.imul(hash, 5) + 0xe6546b64) >>> 0;
}

function mhashFinish(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** hash_bytes() over the UTF-8 bytes of `s` (little-endian word loads). */
const hashCache = new Map<string, number>();

export function hashString(s: string, basis = 0): number {
  if (basis !== 0) return hashBytes(s, basis);
  let h = hashCache.get(s);
  if (h === undefined) {
    // Names are hashed again on every compile; bound the cache so it cannot grow without limit.
    if (hashCache.size >= 1 << 20) hashCache.clear();
    hashCache.set(s, (h = hashBytes(s, 0)));
  }
  return h;
}

function hashBytes(s: string, basis: number): number {
  return hashByteArray(Buffer.from(s, 'utf8'), basis);
}

/** OVS hash_bytes() over `b` (little-endian word loads, as on x86). */
export function hashByteArray(b: ArrayLike<number>, basis: number): number {
  let hash = basis >>> 0;
  let i = 0;
  for (; i + 4 <= b.length; i += 4) hash = mhashAdd(hash, (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0);
  if (i < b.length) {
    let tmp = 0;
    for (let j = 0; i + j < b.length; j++) tmp |= b[i + j]! << (8 * j);
    hash = mhashAdd(hash, tmp >>> 0);
  }
  return mhashFinish((hash ^ b.length) >>> 0);
}

/** calc_mask() of lib/hmap.c. */
function calcMask(capacity: number): number {
  let mask = Math.floor(capacity / 2);
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  mask |= (mask & 1) << 1;
  return mask >>> 0;
}

/**
 * The order in which HMAP_FOR_EACH visits `items` after they were
 * hmap_insert()ed in the given order with the given hashes.
 */
export function hmapOrder<T>(items: readonly T[], hash: (t: T) => number): T[] {
  let mask = 0;
  let buckets: { item: T; hash: number }[][] = [[]];
  let n = 0;
  for (const item of items) {
    const h = hash(item) >>> 0;
    buckets[(h & mask) >>> 0]!.unshift({ item, hash: h });
    n++;
    if (Math.floor(n / 2) > mask) {
      const newMask = calcMask(n);
      if (newMask > mask) {
        const nb: { item: T; hash: number }[][] = Array.from({ length: newMask + 1 }, () => []);
        for (const bucket of buckets) for (const node of bucket) nb[(node.hash & newMask) >>> 0]!.unshift(node);
        buckets = nb;
        mask = newMask;
      }
    }
  }
  const out: T[] = [];
  for (const bucket of buckets) for (const node of bucket) out.push(node.item);
  return out;
}

/** An sset's iteration order (sset_add of each string, duplicates ignored). */
export function ssetOrder(strings: Iterable<string>): string[] {
  const seen = new Set<string>();
  const uniq: string[] = [];
  for (const s of strings) {
    if (seen.has(s)) continue;
    seen.add(s);
    uniq.push(s);
  }
  return hmapOrder(uniq, (s) => hashString(s, 0));
}

/**
 * Rows of an OVSDB IDL table in the order TABLE_FOR_EACH visits them.  The
 * IDL keeps rows in an hmap keyed by uuid_hash(); we assume they arrived in
 * UUID order (the real arrival order only matters when two rows share a
 * bucket, i.e. rarely for small tables).
 */
export function idlOrder<T extends { readonly _uuid: string }>(rows: Iterable<T>): T[] {
  const sorted = [...rows].sort((a, b) => (a._uuid < b._uuid ? -1 : a._uuid > b._uuid ? 1 : 0));
  return hmapOrder(sorted, (r) => uuidHash(r._uuid));
}

/** OVSDB sets of UUIDs reach the IDL sorted (uuid_compare_3way == hex order). */
export function sortedUuids(uuids: readonly string[]): string[] {
  return [...uuids].sort();
}
