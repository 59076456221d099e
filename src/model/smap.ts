// Readers of OVSDB string-to-string maps (options, other_config,
// external_ids) with the parsing rules of OVS's smap_get_* helpers.

type Smap = Readonly<Record<string, string>>;

/** smap_get_bool(): case-insensitive "true" (default false) / anything but "false" (default true). */
export function smapGetBool(map: Smap, key: string, dflt = false): boolean {
  const v = (map[key] ?? '').toLowerCase();
  return dflt ? v !== 'false' : v === 'true';
}

/** smap_get_int(): a whole-string decimal int (strtol rules), else the default. */
export function smapGetInt(map: Smap, key: string, dflt: number): number {
  const v = map[key];
  if (v === undefined || !/^\s*[+-]?\d+$/.test(v)) return dflt;
  const n = Number(v.trim());
  return n >= -2147483648 && n <= 2147483647 ? n : dflt;
}

/** smap_get_uint(): a strtoll-style decimal in 0..UINT_MAX, else the default. */
export function smapGetUint(map: Smap, key: string, dflt: number): number {
  const v = map[key];
  if (v === undefined) return dflt;
  const t = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(v);
  if (!t) return dflt;
  const n = Number(t[2]) * (t[1] === '-' ? -1 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 0xffffffff) return dflt;
  return n;
}

/** smap_get_ullong(): a whole-string decimal unsigned number, else the default. */
export function smapGetUllong(map: Smap, key: string, dflt: number): number {
  const v = map[key];
  if (v === undefined || !/^\s*\+?\d+$/.test(v)) return dflt;
  return Number(v.trim());
}
