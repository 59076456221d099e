import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMac,
  formatMacPrefix,
  isBroadcastMac,
  isCanonicalMac,
  isLocalMac,
  isMulticastMac,
  macFromBytes,
  macToBytes,
  parseMac,
  parseMacPrefix,
  scanMac,
} from '../../src/model/mac.js';
import { ovsScan } from '../../src/model/scan.js';

const mac = (s: string): string | undefined => {
  const r = parseMac(s);
  return r.ok ? formatMac(r.value) : undefined;
};

describe('MAC parsing (eth_addr_from_string rules)', () => {
  it('accepts the canonical form in any case', () => {
    expect(mac('00:11:22:33:44:55')).toBe('00:11:22:33:44:55');
    expect(mac('AA:bb:Cc:dD:EE:ff')).toBe('aa:bb:cc:dd:ee:ff');
  });
  it('accepts what ovs_scan %hhx accepts', () => {
    expect(mac('0:1:2:3:4:5')).toBe('00:01:02:03:04:05');
    expect(mac(' 00: 01:02:03:04:05')).toBe('00:01:02:03:04:05'); // blanks before each byte
    expect(mac('0x0a:0X0b:0:0:0:1')).toBe('0a:0b:00:00:00:01');
    // overflow keeps the low 8 bits (verified with the real northd: "100:0:0:0:0:5" → 00:00:00:00:00:05)
    expect(mac('100:0:0:0:0:5')).toBe('00:00:00:00:00:05');
    expect(mac('-1:0:0:0:0:1')).toBe('ff:00:00:00:00:01');
    expect(mac('+a:0:0:0:0:1')).toBe('0a:00:00:00:00:01');
    expect(mac('000000000a:0:0:0:0:1')).toBe('0a:00:00:00:00:01');
  });
  it('rejects the rest', () => {
    for (const s of [
      '',
      '00:11:22:33:44',
      '00-11-22-33-44-55',
      '00:11:22:33:44:55 ', // trailing blank (verified: northd ignores an LRP with mac "A:0:0:0:1:4 ")
      '00:11:22:33:44:55:66',
      '00 :11:22:33:44:55',
      'zz:00:00:00:01:03', // verified: northd logs "bad 'mac' zz:0:0:0:1:3"
      '0x:0:0:0:0:1',
      '00:11:22:33:44:5g',
      ':00:11:22:33:44',
    ]) {
      const r = parseMac(s);
      expect(r.ok, s).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('invalid-mac');
    }
  });
  it('scanMac stops after the sixth byte', () => {
    expect(scanMac('00:00:00:00:00:01 10.0.0.1')).toEqual({ mac: 1, end: 17 });
    // the last %hhx keeps eating hex digits
    expect(scanMac('00:00:00:00:00:01fx')).toEqual({ mac: 0x1f, end: 18 });
    expect(scanMac('junk')).toBeNull();
  });
  it('formats and converts', () => {
    expect(formatMac(0)).toBe('00:00:00:00:00:00');
    expect(formatMac(0xffffffffffff)).toBe('ff:ff:ff:ff:ff:ff');
    expect(macToBytes(0x0a0b0c0d0e0f)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(macFromBytes([10, 11, 12, 13, 14, 15])).toBe(0x0a0b0c0d0e0f);
    expect(isMulticastMac(0x01005e000001)).toBe(true);
    expect(isMulticastMac(0x000000000001)).toBe(false);
    expect(isBroadcastMac(0xffffffffffff)).toBe(true);
    expect(isLocalMac(0x0a0000000000)).toBe(true);
    expect(isCanonicalMac('0a:00:00:00:00:01')).toBe(true);
    expect(isCanonicalMac('0A:00:00:00:00:01')).toBe(false);
  });
  it('reads mac_prefix like ipam.c', () => {
    expect(parseMacPrefix('0a:0b:0c')).toBe(0x0a0b0c000000);
    expect(parseMacPrefix('0a:0b:0c:11:22:33')).toBe(0x0a0b0c000000); // trailing text ignored
    expect(parseMacPrefix('00:00:00')).toBeUndefined(); // zero → random
    expect(parseMacPrefix('xyz')).toBeUndefined();
    expect(parseMacPrefix(undefined)).toBeUndefined();
    expect(formatMacPrefix(0x0a0b0c000000)).toBe('0a:0b:0c');
  });
  it('ovsScan handles blanks and literals like ovs_scan', () => {
    expect(ovsScan('x  5', 'x %d')?.values).toEqual([5]);
    expect(ovsScan('x5', 'x %d')?.values).toEqual([5]); // a format blank matches zero blanks
    expect(ovsScan('4294967320', '%d')?.values).toEqual([24]); // %d keeps the low 32 bits
    expect(ovsScan('-5', '%d')?.values).toEqual([-5]);
    expect(ovsScan(' ab:', ' %46[abc]')?.values).toEqual(['ab']);
    expect(ovsScan('', ' %46[abc]')).toBeNull();
  });
});

describe('MAC property tests', () => {
  const macArb = fc.integer({ min: 0, max: 2 ** 48 - 1 });
  it('parse(format(m)) = m', () => {
    fc.assert(
      fc.property(macArb, (m) => {
        const r = parseMac(formatMac(m));
        return r.ok && r.value === m;
      }),
    );
  });
  it('format(parse(s)) is canonical and stable for any accepted spelling', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    const spelling = fc.tuple(byte, fc.constantFrom('x', 'X', '02x', '02X', '0x', 'pad')).map(([b, how]) => {
      switch (how) {
        case 'x':
          return b.toString(16);
        case 'X':
          return b.toString(16).toUpperCase();
        case '02x':
          return b.toString(16).padStart(2, '0');
        case '02X':
          return b.toString(16).padStart(2, '0').toUpperCase();
        case '0x':
          return '0x' + b.toString(16);
        default:
          return '000' + b.toString(16);
      }
    });
    fc.assert(
      fc.property(fc.array(spelling, { minLength: 6, maxLength: 6 }), (parts) => {
        const s = parts.join(':');
        const r = parseMac(s);
        if (!r.ok) return false;
        const f = formatMac(r.value);
        return isCanonicalMac(f) && mac(f) === f;
      }),
    );
  });
});
