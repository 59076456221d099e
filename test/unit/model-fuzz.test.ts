// Property tests across the parsers: they never throw on user data, and
// addresses formatted by OVN's rules parse back to themselves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyLspAddress,
  extractIpAddress,
  extractLrpNetworks,
  formatIpv4,
  formatIpv6,
  formatMac,
  ip46ParseCidr,
  isDynamicLspAddress,
  parseDynamicSpec,
  parseLbVip,
  parseLbVips,
  parseMac,
  parsePortSecurity,
  summarizeLspAddresses,
} from '../../src/model/index.js';
import { extractLspAddresses } from '../../src/model/lsp-addresses.js';

const addrish = fc
  .array(fc.constantFrom('0', '1', '9', 'a', 'f', 'F', 'x', ':', '::', '.', '/', ' ', ',', '[', ']', '%', '-', '+', '255', '300', 'dynamic', 'router', '^'), {
    maxLength: 30,
  })
  .map((a) => a.join(''));
const anyString = fc.oneof(fc.string(), addrish);

describe('parsers never throw', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(anyString, anyString, fc.boolean(), (a, b, template) => {
        parseMac(a);
        ip46ParseCidr(a);
        classifyLspAddress(a);
        isDynamicLspAddress(a);
        parseDynamicSpec(a);
        extractIpAddress(a);
        extractLrpNetworks(a, [b, a]);
        parsePortSecurity([a, b]);
        summarizeLspAddresses([a, b]);
        parseLbVip(a, b, template, template ? 6 : 4);
        parseLbVips({ [a]: b }, { template: String(template) });
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('LSP address round trips', () => {
  it('"MAC IP..." built from formatted addresses parses back exactly', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }));
    const v6 = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.array(v4, { maxLength: 4 }), fc.array(v6, { maxLength: 4 }), (mac, a4, a6) => {
        const parts = [formatMac(mac), ...a4.map(([ip, p]) => `${formatIpv4(ip)}/${p}`), ...a6.map(([ip, p]) => `${formatIpv6(ip)}/${p}`)];
        const r = extractLspAddresses(parts.join(' '));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.trailing).toBeUndefined();
        expect(r.value.addresses.ea).toBe(mac);
        expect(r.value.addresses.ipv4Addrs.map((x) => [x.addr, x.plen])).toEqual(a4);
        expect(r.value.addresses.ipv6Addrs.map((x) => [x.addr, x.plen])).toEqual(a6);
      }),
    );
  });
});
