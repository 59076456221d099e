// Ethernet (MAC) addresses, parsed with exactly the rules of OVS's
// eth_addr_from_string()/str_to_mac(): ovs_scan("%hhx:%hhx:%hhx:%hhx:%hhx:%hhx")
// followed by end of string.  Because ovs_scan is lenient, OVN accepts more
// than the canonical form, and we do too (see scan.ts):
//   "0:1:2:3:4:5"             → 00:01:02:03:04:05 (one digit per byte is fine)
//   "0A:0b:0C:0d:0E:0f"        → 0a:0b:0c:0d:0e:0f (any case)
//   " 00: 01:02:03:04:05"      → blanks before each byte are skipped
//   "0x0a:0:0:0:0:1"           → 0x prefix per byte
//   "100:0:0:0:0:1"            → 00:00:00:00:00:01 (overflow keeps the low 8 bits)
//   "-1:0:0:0:0:1"             → ff:00:00:00:00:01
// but not "00-01-02-03-04-05", "00:01:02:03:04", a trailing blank, or a
// 7th group.  A MAC is represented as a 48-bit integer (a JS number).
import { type Result, err, ok } from './result.js';
import { ETH_ADDR_SCAN_FMT, ovsScan } from './scan.js';

/** A MAC address as a 48-bit unsigned integer (first byte most significant). */
export type Mac = number;

export const MAC_ZERO: Mac = 0;
export const MAC_BROADCAST: Mac = 0xffff_ffff_ffff;

export function macFromBytes(b: readonly number[]): Mac {
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 256 + ((b[i] ?? 0) & 0xff);
  return v;
}

export function macToBytes(mac: Mac): number[] {
  const out = new Array<number>(6);
  let v = mac;
  for (let i = 5; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/** Formats like OVS's ETH_ADDR_FMT: lowercase, two hex digits per byte. */
export function formatMac(mac: Mac): string {
  return macToBytes(mac)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
}

/**
 * Scans a MAC at `start` (ovs_scan_len with ETH_ADDR_SCAN_FMT) without
 * requiring the string to end there.  Returns the MAC and the end index.
 */
export function scanMac(s: string, start = 0): { mac: Mac; end: number } | null {
  const r = ovsScan(s, ETH_ADDR_SCAN_FMT, start);
  if (!r) return null;
  return { mac: macFromBytes(r.values as number[]), end: r.end };
}

/** eth_addr_from_string(): the whole string must be a MAC. */
export function parseMac(s: string): Result<Mac, 'invalid-mac'> {
  const r = scanMac(s);
  if (!r || r.end !== s.length) return err('invalid-mac', `${s}: invalid Ethernet address`);
  return ok(r.mac);
}

/** True if the canonical (lowercase, zero-padded) form is what was written. */
export function isCanonicalMac(s: string): boolean {
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(s);
}

export function isMulticastMac(mac: Mac): boolean {
  return (Math.floor(mac / 2 ** 40) & 1) === 1;
}

export function isBroadcastMac(mac: Mac): boolean {
  return mac === MAC_BROADCAST;
}

export function isZeroMac(mac: Mac): boolean {
  return mac === 0;
}

/** Locally administered bit set. */
export function isLocalMac(mac: Mac): boolean {
  return (Math.floor(mac / 2 ** 40) & 2) === 2;
}

/**
 * NB_Global options:mac_prefix as ipam.c set_mac_prefix() reads it:
 * ovs_scan("%hhx:%hhx:%hhx") with trailing text ignored.  Returns the prefix
 * as a MAC with the low 3 bytes zero, or undefined when the value is absent,
 * unparsable or all-zero (northd then picks a random prefix).
 */
export function parseMacPrefix(s: string | undefined): Mac | undefined {
  if (s === undefined) return undefined;
  const r = ovsScan(s, '%hhx:%hhx:%hhx');
  if (!r) return undefined;
  const mac = macFromBytes([...(r.values as number[]), 0, 0, 0]);
  return mac === 0 ? undefined : mac;
}

/** The "xx:xx:xx" form northd writes back into options:mac_prefix. */
export function formatMacPrefix(prefix: Mac): string {
  return formatMac(prefix).slice(0, 8);
}
