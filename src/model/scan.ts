// A small scanf-like matcher with the exact acceptance rules of Open vSwitch's
// ovs_scan()/ovs_scan_len() (lib/util.c), which is what OVN uses to read MAC
// and IP addresses out of user strings.  Those rules differ from glibc sscanf
// in ways that change what OVN accepts, so we reproduce them:
//
//  * a blank in the format skips zero or more isspace() characters of input;
//  * every numeric conversion first skips isspace() characters, accepts an
//    optional '+'/'-' sign and, for hex, an optional "0x"/"0X" prefix (which
//    then must be followed by at least one hex digit); it reads as many digits
//    as there are (no width limit) and never fails on overflow: the value is
//    stored truncated to the destination type (%hhx/%hhu → low 8 bits, so
//    "100" as %hhx is 0x00 and "-1" is 0xff; %d → low 32 bits, signed);
//  * %[set] and %c do not skip blanks; %46[...] reads 1..46 characters of the set;
//  * any other character of the format must match the input exactly.
//
// Only the conversions OVN's address parsing uses are supported:
// %hhx %hhu %d %<width>[set] %n (the latter is implicit: `end` is returned).

export type ScanValue = number | string;

export interface ScanOk {
  /** Converted values in format order. */
  readonly values: ScanValue[];
  /** Index in the input just past the last matched character. */
  readonly end: number;
}

type Directive =
  | { readonly t: 'blank' }
  | { readonly t: 'lit'; readonly c: string }
  | { readonly t: 'int'; readonly base: 10 | 16; readonly bits: 8 | 32; readonly signed: boolean }
  | { readonly t: 'set'; readonly width: number; readonly chars: ReadonlySet<string>; readonly negate: boolean };

const cache = new Map<string, Directive[]>();

/** C isspace() in the "C" locale. */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

export function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

function compile(format: string): Directive[] {
  const hit = cache.get(format);
  if (hit) return hit;
  const out: Directive[] = [];
  let p = 0;
  while (p < format.length) {
    const c = format[p++]!;
    if (isSpace(c)) {
      out.push({ t: 'blank' });
      continue;
    }
    if (c !== '%') {
      out.push({ t: 'lit', c });
      continue;
    }
    let width = 0;
    while (p < format.length && format[p]! >= '0' && format[p]! <= '9') width = width * 10 + Number(format[p++]);
    if (format.startsWith('hhx', p)) {
      out.push({ t: 'int', base: 16, bits: 8, signed: false });
      p += 3;
    } else if (format.startsWith('hhu', p)) {
      out.push({ t: 'int', base: 10, bits: 8, signed: false });
      p += 3;
    } else if (format[p] === 'd') {
      out.push({ t: 'int', base: 10, bits: 32, signed: true });
      p += 1;
    } else if (format[p] === '[') {
      p++;
      const negate = format[p] === '^';
      if (negate) p++;
      const chars = new Set<string>();
      if (format[p] === ']') chars.add(format[p++]!);
      while (p < format.length && format[p] !== ']') chars.add(format[p++]!);
      p++; // ']'
      out.push({ t: 'set', width: width || Infinity, chars, negate });
    } else {
      throw new Error(`ovsScan: unsupported conversion in ${JSON.stringify(format)}`);
    }
  }
  cache.set(format, out);
  return out;
}

function hexitValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

const TWO32 = 2 ** 32;

/** Scans an integer the way OVS's scan_int() does; returns [value mod 2^32, end] or null. */
function scanInt(s: string, i: number, base: 10 | 16): [number, number] | null {
  const negative = s[i] === '-';
  if (s[i] === '-' || s[i] === '+') i++;
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) i += 2;
  let value = 0;
  let digits = 0;
  for (;;) {
    const d = hexitValue(s[i]);
    if (d < 0 || d >= base) break;
    // Arithmetic modulo 2^32 is exact for the low 32 bits of C's uintmax_t.
    value = (value * base + d) % TWO32;
    digits++;
    i++;
  }
  if (!digits) return null;
  if (negative) value = (TWO32 - value) % TWO32;
  return [value, i];
}

/**
 * Matches `s` from index `start` against `format` with ovs_scan() rules.
 * Returns the converted values and the end index, or null when any directive
 * fails (like ovs_scan returning false).  Trailing input is not checked: do
 * `end === s.length` for the "%n ... && !s[n]" idiom.
 */
export function ovsScan(s: string, format: string, start = 0): ScanOk | null {
  const values: ScanValue[] = [];
  let i = start;
  for (const d of compile(format)) {
    switch (d.t) {
      case 'blank':
        i = skipSpaces(s, i);
        break;
      case 'lit':
        if (s[i] !== d.c) return null;
        i++;
        break;
      case 'int': {
        i = skipSpaces(s, i);
        const r = scanInt(s, i, d.base);
        if (!r) return null;
        const [v, e] = r;
        i = e;
        values.push(d.bits === 8 ? v & 0xff : d.signed ? v | 0 : v);
        break;
      }
      case 'set': {
        let n = 0;
        while (i + n < s.length && d.chars.has(s[i + n]!) !== d.negate && n < d.width) n++;
        if (!n) return null;
        values.push(s.slice(i, i + n));
        i += n;
        break;
      }
    }
  }
  return { values, end: i };
}

/** ETH_ADDR_SCAN_FMT of OVS. */
export const ETH_ADDR_SCAN_FMT = '%hhx:%hhx:%hhx:%hhx:%hhx:%hhx';
/** IP_SCAN_FMT of OVS. */
export const IP_SCAN_FMT = '%hhu.%hhu.%hhu.%hhu';
/** IPV6_SCAN_FMT of OVS (at most 46 characters of hex digits, ':' and '.'). */
export const IPV6_SCAN_FMT = '%46[0123456789abcdefABCDEF:.]';
