import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIpv4,
  formatIpv6,
  in6GenerateEui64,
  in6GenerateLla,
  in6IsLla,
  in6SolicitedNode,
  inetPton4,
  inetPton6,
  ip46ParseCidr,
  ipParseCidr,
  ipParseCidrLen,
  ipParseMasked,
  ipv4Broadcast,
  ipv4CountCidrBits,
  ipv4IsCidr,
  ipv4MulticastToEthernet,
  ipv4Network,
  ipv4PrefixMask,
  ipv4ToMapped,
  ipv6CountCidrBits,
  ipv6IsCidr,
  ipv6IsV4Mapped,
  ipv6MappedIpv4,
  ipv6MulticastToEthernet,
  ipv6ParseCidr,
  ipv6ParseMasked,
  ipv6PrefixMask,
  normalizeIpv4Prefix,
  normalizeIpv6Prefix,
  normalizeV46Prefix,
  parseIpv4,
  parseIpv6,
} from '../../src/model/ip.js';
import { formatMac } from '../../src/model/mac.js';

const v6 = (s: string): bigint => {
  const v = inetPton6(s);
  if (v === undefined) throw new Error(`bad test address ${s}`);
  return v;
};
const cidr4 = (s: string): string | undefined => {
  const r = ipParseCidr(s);
  return r.ok ? `${formatIpv4(r.value.ip)}/${r.value.plen}` : undefined;
};
const cidr6 = (s: string): string | undefined => {
  const r = ipv6ParseCidr(s);
  return r.ok ? `${formatIpv6(r.value.ip)}/${r.value.plen}` : undefined;
};

describe('IPv4 inet_pton (strict)', () => {
  it('accepts dotted quads', () => {
    expect(inetPton4('0.0.0.0')).toBe(0);
    expect(inetPton4('255.255.255.255')).toBe(0xffffffff);
    expect(inetPton4('10.0.0.1')).toBe(0x0a000001);
  });
  it('rejects everything else', () => {
    for (const s of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.04', ' 1.2.3.4', '1.2.3.4 ', '1..3.4', '0x1.2.3.4', '-1.2.3.4', '1.2.3.4/32']) {
      expect(inetPton4(s), s).toBeUndefined();
    }
    const r = parseIpv4('1.2.3');
    expect(r.ok).toBe(false);
  });
});

describe('IPv4 CIDR parsing (ip_parse_cidr, lenient ovs_scan)', () => {
  it('reads address, prefix and dotted masks', () => {
    expect(cidr4('10.0.0.1')).toBe('10.0.0.1/32');
    expect(cidr4('10.0.0.1/24')).toBe('10.0.0.1/24');
    expect(cidr4('10.0.0.1/0')).toBe('10.0.0.1/0');
    expect(cidr4('10.3.0.1/255.255.255.0')).toBe('10.3.0.1/24'); // verified on an LRP with the real northd
    expect(cidr4('10.0.0.1/0.0.0.0')).toBe('10.0.0.1/0');
  });
  it('is as lenient as ovs_scan', () => {
    expect(cidr4('256.1.1.1')).toBe('0.1.1.1/32');
    expect(cidr4('300.1.1.1')).toBe('44.1.1.1/32'); // verified: LSP "MAC 300.1.1.1" answers ARP for 44.1.1.1
    expect(cidr4('01.2.3.4')).toBe('1.2.3.4/32');
    expect(cidr4('1. 2.3.4')).toBe('1.2.3.4/32');
    expect(cidr4(' 1.2.3.4')).toBe('1.2.3.4/32');
    expect(cidr4('1.2.3.4/ 24')).toBe('1.2.3.4/24');
    expect(cidr4('1.2.3.4/+24')).toBe('1.2.3.4/24');
    expect(cidr4('1.2.3.4/4294967320')).toBe('1.2.3.4/24'); // %d keeps the low 32 bits
    expect(cidr4('-1.2.3.4')).toBe('255.2.3.4/32');
  });
  it('rejects bad prefixes, non-CIDR masks and trailing text', () => {
    for (const s of ['1.2.3.4/33', '1.2.3.4/-1', '1.2.3.4/255.0.255.0', '1.2.3.4/', '1.2.3.4 ', '1.2.3.4x', '1.2.3', 'fd00::1', '', 'a.b.c.d']) {
      expect(cidr4(s), s).toBeUndefined();
    }
    const r = ipParseCidr('1.2.3.4/33');
    expect(!r.ok && r.error.message).toContain('not between 0 and 32');
    const r2 = ipParseCidr('1.2.3.4/255.0.255.0');
    expect(!r2.ok && r2.error.message).toContain('CIDR network required');
  });
  it('reports where OVS leaves the scan position', () => {
    expect(ipParseCidrLen('1.2.3.4 rest', 0)).toMatchObject({ ok: true, end: 7 });
    // an out-of-range prefix fails but advances past it (that is how OVS behaves)
    expect(ipParseCidrLen('1.2.3.4/33 fd00::1', 0)).toMatchObject({ ok: false, end: 10 });
    expect(ipParseCidrLen('x1.2.3.4', 0)).toMatchObject({ ok: false, end: 0 });
  });
  it('ip_parse_masked keeps non-CIDR masks', () => {
    const r = ipParseMasked('1.2.3.4/255.0.255.0');
    expect(r.ok && r.value.mask).toBe(0xff00ff00);
  });
  it('masks, networks and broadcasts', () => {
    expect(ipv4PrefixMask(0)).toBe(0);
    expect(ipv4PrefixMask(24)).toBe(0xffffff00);
    expect(ipv4PrefixMask(32)).toBe(0xffffffff);
    expect(ipv4IsCidr(0xffffff00)).toBe(true);
    expect(ipv4IsCidr(0)).toBe(true);
    expect(ipv4IsCidr(0xff00ff00)).toBe(false);
    expect(ipv4CountCidrBits(0xffffff00)).toBe(24);
    expect(ipv4CountCidrBits(0)).toBe(0);
    expect(formatIpv4(ipv4Network(0x0a000005, 24))).toBe('10.0.0.0');
    expect(formatIpv4(ipv4Broadcast(0x0a000005, 24))).toBe('10.0.0.255');
    expect(formatIpv4(ipv4Broadcast(0x0a000005, 32))).toBe('10.0.0.5');
    expect(formatMac(ipv4MulticastToEthernet(0xe0ff0001))).toBe('01:00:5e:7f:00:01');
  });
});

describe('IPv6 inet_pton / inet_ntop (glibc)', () => {
  it('parses the usual forms', () => {
    expect(inetPton6('::')).toBe(0n);
    expect(inetPton6('::1')).toBe(1n);
    expect(inetPton6('fd00::1')).toBe((0xfd00n << 112n) | 1n);
    expect(inetPton6('FD00:0:0:0:0:0:0:1')).toBe((0xfd00n << 112n) | 1n);
    expect(inetPton6('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(inetPton6('1::')).toBe(1n << 112n);
  });
  it('rejects what glibc rejects', () => {
    for (const s of ['', ':', ':::', '1:::2', '::1::', '1:2:3:4:5:6:7:8:9', '12345::', ':1::', '1:', '1::2:3:4:5:6:7:8', 'g::', '[::1]', '::1%eth0', '1.2.3.4', '::1.2.3', '::1.2.3.4:5', '::01.2.3.4', ' ::1']) {
      expect(inetPton6(s), s).toBeUndefined();
    }
    expect(parseIpv6('x').ok).toBe(false);
  });
  it('formats like inet_ntop', () => {
    const cases: [string, string][] = [
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['0:0:0:0:0:0:0:2', '::2'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'], // first of equal runs
      ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'], // single zero group not compressed
      ['0:0:1:0:0:0:0:0', '0:0:1::'],
      ['0:0:0:0:0:ffff:102:304', '::ffff:1.2.3.4'],
      ['0:0:0:0:0:0:102:304', '::1.2.3.4'],
      ['0:0:0:0:1:ffff:102:304', '::1:ffff:102:304'],
      ['FD00:0:0:0:0:0:0:10', 'fd00::10'],
      ['fe80:0:0:0:200:ff:fe00:101', 'fe80::200:ff:fe00:101'],
    ];
    for (const [i, o] of cases) expect(formatIpv6(v6(i)), i).toBe(o);
  });
});

describe('IPv6 CIDR parsing (ipv6_parse_cidr)', () => {
  it('reads prefixes and masks', () => {
    expect(cidr6('fd00::1')).toBe('fd00::1/128');
    expect(cidr6('fd00::1/64')).toBe('fd00::1/64');
    expect(cidr6('FD01:0::1/64')).toBe('fd01::1/64');
    expect(cidr6('fd00::/ffff:ffff::')).toBe('fd00::/32');
    expect(cidr6(' fd00::1/ 64')).toBe('fd00::1/64');
    expect(cidr6('::ffff:1.2.3.4/96')).toBe('::ffff:1.2.3.4/96');
  });
  it('rejects bad ones', () => {
    for (const s of ['fd00::1/129', 'fd00::1/-1', 'fd00::/ffff:0:ffff::', 'fd00::1 ', 'fd00::1/', '1.2.3.4', 'fd00::1/64x', 'xyz', '']) {
      expect(cidr6(s), s).toBeUndefined();
    }
    const r = ipv6ParseMasked('fd00::/ffff:0:ffff::');
    expect(r.ok).toBe(true);
  });
  it('ip46_parse_cidr tries IPv4 first', () => {
    const a = ip46ParseCidr('10.0.0.0/8');
    expect(a.ok && a.value.family).toBe(4);
    expect(a.ok && ipv6IsV4Mapped(a.value.prefix)).toBe(true);
    const b = ip46ParseCidr('fd00::/8');
    expect(b.ok && b.value.family).toBe(6);
    expect(ip46ParseCidr('nope').ok).toBe(false);
  });
  it('masks', () => {
    expect(ipv6PrefixMask(0)).toBe(0n);
    expect(ipv6PrefixMask(128)).toBe((1n << 128n) - 1n);
    expect(formatIpv6(ipv6PrefixMask(64))).toBe('ffff:ffff:ffff:ffff::');
    expect(formatIpv6(ipv6PrefixMask(65))).toBe('ffff:ffff:ffff:ffff:8000::');
    expect(ipv6IsCidr(ipv6PrefixMask(77))).toBe(true);
    expect(ipv6IsCidr(v6('ffff:0:ffff::'))).toBe(false);
    expect(ipv6CountCidrBits(ipv6PrefixMask(77))).toBe(77);
  });
  it('normalizes prefixes like normalize_*_prefix', () => {
    expect(normalizeIpv4Prefix(0x0a000005, 24)).toBe('10.0.0.0/24');
    expect(normalizeIpv4Prefix(0x0a000005, 32)).toBe('10.0.0.5');
    expect(normalizeIpv6Prefix(v6('fd00::5'), 64)).toBe('fd00::/64');
    expect(normalizeIpv6Prefix(v6('fd00::5'), 128)).toBe('fd00::5');
    expect(normalizeV46Prefix(ipv4ToMapped(0x0a000005), 8)).toBe('10.0.0.0/8');
    expect(normalizeV46Prefix(v6('fd00::5'), 8)).toBe('fd00::/8');
    expect(ipv6MappedIpv4(ipv4ToMapped(0x01020304))).toBe(0x01020304);
    expect(ipv6MappedIpv4(v6('fd00::1'))).toBe(0);
  });
});

describe('derived IPv6 addresses', () => {
  it('EUI-64 link-local address (as northd adds to LRPs)', () => {
    // verified: LRP with mac 00:00:00:00:01:01 answers NS for fe80::200:ff:fe00:101
    expect(formatIpv6(in6GenerateLla(0x000000000101))).toBe('fe80::200:ff:fe00:101');
    expect(formatIpv6(in6GenerateLla(0x0a0000000001))).toBe('fe80::800:ff:fe00:1');
    expect(formatIpv6(in6GenerateLla(0xaabbccddeeff))).toBe('fe80::a8bb:ccff:fedd:eeff');
    expect(formatIpv6(in6GenerateEui64(0x000000000101, v6('fd01:2:3:4:5::')))).toBe('fd01:2:3:4:200:ff:fe00:101');
    expect(in6IsLla(v6('fe80::1'))).toBe(true);
    expect(in6IsLla(v6('fe80:0:0:1::1'))).toBe(false);
    expect(in6IsLla(v6('fd00::1'))).toBe(false);
  });
  it('solicited-node multicast address and MAC', () => {
    const sn = in6SolicitedNode(v6('fd00::1:2345:6789'));
    expect(formatIpv6(sn)).toBe('ff02::1:ff45:6789');
    expect(formatIpv6(in6SolicitedNode(v6('fe80::200:ff:fe00:101')))).toBe('ff02::1:ff00:101');
    expect(formatMac(ipv6MulticastToEthernet(sn))).toBe('33:33:ff:45:67:89');
  });
});

describe('IP property tests', () => {
  const ip4 = fc.integer({ min: 0, max: 0xffffffff });
  const ip6 = fc
    .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
    .map((w) => w.reduce((a, x) => (a << 16n) | BigInt(x), 0n));
  it('IPv4: inet_pton(format(x)) = x and ip_parse_cidr agrees', () => {
    fc.assert(
      fc.property(ip4, fc.integer({ min: 0, max: 32 }), (x, plen) => {
        const s = formatIpv4(x);
        const c = ipParseCidr(`${s}/${plen}`);
        return inetPton4(s) === x && c.ok && c.value.ip === x && c.value.plen === plen;
      }),
    );
  });
  it('IPv6: inet_pton(inet_ntop(x)) = x, and the output is canonical', () => {
    fc.assert(
      fc.property(ip6, fc.integer({ min: 0, max: 128 }), (x, plen) => {
        const s = formatIpv6(x);
        const c = ipv6ParseCidr(`${s}/${plen}`);
        return (
          inetPton6(s) === x &&
          formatIpv6(inetPton6(s.toUpperCase())!) === s &&
          c.ok &&
          c.value.ip === x &&
          c.value.plen === plen &&
          !/(^|:)0[0-9a-f]/.test(s)
        );
      }),
    );
  });
  it('IPv6: the uncompressed spelling parses to the same address', () => {
    fc.assert(
      fc.property(ip6, (x) => {
        const full = Array.from({ length: 8 }, (_, i) => ((x >> BigInt(112 - 16 * i)) & 0xffffn).toString(16).padStart(4, '0')).join(':');
        return inetPton6(full) === x;
      }),
    );
  });
});
