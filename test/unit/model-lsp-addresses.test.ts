// Cases marked "verified" were checked against the real ovn-northd 23.03.1:
// the NB value was set directly (ovn-nbctl set ...) and the resulting
// ls_in_arp_rsp / ls_in_l2_lkup / lr_in_ip_input flows and northd log read.
import { describe, expect, it } from 'vitest';
import {
  classifyLspAddress,
  extractAddresses,
  extractIpAddress,
  extractIpAddresses,
  extractLrpNetworks,
  extractLspAddresses,
  isDynamicLspAddress,
  type LportAddresses,
  parseDynamicSpec,
  summarizeLspAddresses,
} from '../../src/model/lsp-addresses.js';
import { parsePortSecurity } from '../../src/model/port-security.js';
import { formatIpv4, formatIpv6 } from '../../src/model/ip.js';

/** A compact view: "mac ipv4/plen ... ipv6/plen ...". */
function show(a: LportAddresses): string {
  return [a.eaStr, ...a.ipv4Addrs.map((x) => `${x.addrStr}/${x.plen}`), ...a.ipv6Addrs.map((x) => `${x.addrStr}/${x.plen}`)].join(' ');
}
function lsp(s: string): string | undefined {
  const r = extractLspAddresses(s);
  return r.ok ? show(r.value.addresses) : undefined;
}

describe('LSP addresses (extract_lsp_addresses)', () => {
  it('parses MAC and IPs', () => {
    expect(lsp('00:00:00:00:00:01')).toBe('00:00:00:00:00:01');
    expect(lsp('00:00:00:00:00:01 10.0.0.1')).toBe('00:00:00:00:00:01 10.0.0.1/32');
    expect(lsp('00:00:00:00:00:01 10.0.0.1 fd00::1 10.0.0.2')).toBe('00:00:00:00:00:01 10.0.0.1/32 10.0.0.2/32 fd00::1/128');
    expect(lsp('00:00:00:00:00:01 10.0.0.5/24 fd00::5/64')).toBe('00:00:00:00:00:01 10.0.0.5/24 fd00::5/64');
  });
  it('fills the lport_addresses strings', () => {
    const r = extractLspAddresses('0A:00:00:00:00:01 10.0.0.5/24 fd00::1:2345:6789/64');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.value.addresses;
    expect(a.ea).toBe(0x0a0000000001);
    expect(a.eaStr).toBe('0a:00:00:00:00:01');
    expect(a.ipv4Addrs[0]).toMatchObject({
      addr: 0x0a000005,
      plen: 24,
      mask: 0xffffff00,
      network: 0x0a000000,
      addrStr: '10.0.0.5',
      networkStr: '10.0.0.0',
      bcastStr: '10.0.0.255',
    });
    expect(a.ipv6Addrs[0]).toMatchObject({
      plen: 64,
      addrStr: 'fd00::1:2345:6789',
      networkStr: 'fd00::',
      snAddrStr: 'ff02::1:ff45:6789',
      isLla: false,
    });
  });
  it('is as lenient as OVN (verified)', () => {
    expect(lsp('00:00:00:00:00:01 300.1.1.1')).toBe('00:00:00:00:00:01 44.1.1.1/32');
    expect(lsp('0:0:0:0:0:2 10.0.0.2')).toBe('00:00:00:00:00:02 10.0.0.2/32');
    expect(lsp('100:0:0:0:0:5 10.0.0.5')).toBe('00:00:00:00:00:05 10.0.0.5/32');
    expect(lsp('00:00:00:00:00:06  01.2.3.6')).toBe('00:00:00:00:00:06 1.2.3.6/32');
    expect(lsp('00:00:00:00:00:07 10.0.0.7/255.255.0.0 FD00:0::7/64')).toBe('00:00:00:00:00:07 10.0.0.7/16 fd00::7/64');
    expect(lsp('00:00:00:00:00:09 1. 2.3.9')).toBe('00:00:00:00:00:09 1.2.3.9/32');
    expect(lsp('00:00:00:00:00:0c 10.0.0.12/ 24')).toBe('00:00:00:00:00:0c 10.0.0.12/24');
    expect(lsp('0a:00:00:00:00:06dynamic')).toBe('0a:00:00:00:00:6d'); // the last byte eats "06d"
  });
  it('stops at the first unparsable token and reports trailing text (verified)', () => {
    const r = extractLspAddresses('00:00:00:00:00:03 10.0.0.3 junk 10.0.0.33');
    expect(r.ok && show(r.value.addresses)).toBe('00:00:00:00:00:03 10.0.0.3/32');
    expect(r.ok && r.value.trailing).toBe(' junk 10.0.0.33');
    const t = extractLspAddresses('00:00:00:00:00:0a 10.0.0.10 ');
    expect(t.ok && t.value.trailing).toBe(' ');
    expect(t.ok && show(t.value.addresses)).toBe('00:00:00:00:00:0a 10.0.0.10/32');
    const u = extractLspAddresses('00:00:00:00:00:01 10.0.0.1');
    expect(u.ok && u.value.trailing).toBeUndefined();
    expect(extractAddresses('00:00:00:00:00:01 10.0.0.1 x')).toMatchObject({ ok: true, value: { ofs: 26 } });
  });
  it('skips an IPv4 with a bad prefix or mask when an IPv6 follows (verified)', () => {
    expect(lsp('00:00:00:00:00:04 10.0.0.4/33 fd00::4')).toBe('00:00:00:00:00:04 fd00::4/128');
    expect(lsp('00:00:00:00:00:08 10.0.0.8/255.0.255.0 fd00::8')).toBe('00:00:00:00:00:08 fd00::8/128');
    // …and with nothing after it, keeps only the MAC
    const r = extractLspAddresses('00:00:00:00:00:04 10.0.0.4/33');
    expect(r.ok && show(r.value.addresses)).toBe('00:00:00:00:00:04');
    expect(r.ok && r.value.trailing).toBe(' 10.0.0.4/33');
  });
  it('fails without a MAC (verified: "No MAC address found")', () => {
    for (const s of ['nomac 10.0.0.11', '', '10.0.0.1', 'router', 'unknown']) {
      const r = extractLspAddresses(s);
      expect(r.ok, s).toBe(false);
    }
  });
});

describe('dynamic addresses (is_dynamic_lsp_address)', () => {
  it('recognizes OVN forms', () => {
    for (const s of ['dynamic', 'dynamic 10.0.0.5', 'dynamic fd00::5', 'dynamic 10.0.0.5 fd00::5', '0a:00:00:00:00:07 dynamic', '0a:00:00:00:00:07  dynamic']) {
      expect(isDynamicLspAddress(s), s).toBe(true);
    }
    // OVN only scans the IPv6 part as [0-9a-fA-F:.]+
    expect(isDynamicLspAddress('dynamicabc')).toBe(true);
    expect(isDynamicLspAddress('dynamic10.0.0.5')).toBe(true);
  });
  it('rejects others', () => {
    for (const s of ['dynamicxyz', 'dynamic 10.0.0.5 junk', '0a:00:00:00:00:06dynamic', 'Dynamic', '00:00:00:00:00:01 10.0.0.1', 'dynamic 10.0.0.5 fd00::5 ']) {
      expect(isDynamicLspAddress(s), s).toBe(false);
    }
  });
  it('parses the requested parts (set_dynamic_updates)', () => {
    expect(parseDynamicSpec('dynamic')).toEqual({});
    expect(parseDynamicSpec('0a:00:00:00:00:07 dynamic')).toEqual({ mac: 0x0a0000000007 });
    const a = parseDynamicSpec('dynamic 10.0.0.5');
    expect(a.ipv4 !== undefined && formatIpv4(a.ipv4)).toBe('10.0.0.5');
    const b = parseDynamicSpec('dynamic 10.0.0.5 fd00::5');
    expect(b.ipv4 !== undefined && formatIpv4(b.ipv4)).toBe('10.0.0.5');
    expect(b.ipv6 !== undefined && formatIpv6(b.ipv6)).toBe('fd00::5');
    expect(parseDynamicSpec('dynamic abc')).toEqual({}); // scanned but not a valid IPv6
  });
  it('classifies entries and summarizes like join_logical_ports', () => {
    expect(classifyLspAddress('unknown').kind).toBe('unknown');
    expect(classifyLspAddress('router').kind).toBe('router');
    expect(classifyLspAddress('dynamic').kind).toBe('dynamic');
    expect(classifyLspAddress('00:00:00:00:00:01 10.0.0.1').kind).toBe('static');
    expect(classifyLspAddress('nomac').kind).toBe('invalid');
    const s = summarizeLspAddresses(['unknown', 'router', 'dynamic', 'dynamic 10.0.0.9', '00:00:00:00:00:01 10.0.0.1 x', 'bad', '00:00:00:00:00:02']);
    expect(s.hasUnknown).toBe(true);
    expect(s.hasRouter).toBe(true);
    expect(s.dynamic.map((d) => d.entry)).toEqual(['dynamic', 'dynamic 10.0.0.9']);
    expect(s.static.map(show)).toEqual(['00:00:00:00:00:01 10.0.0.1/32', '00:00:00:00:00:02']);
    expect(s.warnings).toEqual([
      "invalid syntax '00:00:00:00:00:01 10.0.0.1 x' in address",
      "invalid syntax 'bad' in logical switch port addresses. No MAC address found",
    ]);
  });
});

describe('IP-only address lists', () => {
  it('extract_ip_addresses needs at least one address', () => {
    const r = extractIpAddresses('10.0.0.1 fd00::1');
    expect(r.ok && show(r.value)).toBe('00:00:00:00:00:00 10.0.0.1/32 fd00::1/128');
    expect(extractIpAddresses('junk').ok).toBe(false);
  });
  it('extract_ip_address takes one host address per family', () => {
    expect(extractIpAddress('10.0.0.1').ok).toBe(true);
    expect(extractIpAddress('10.0.0.1 fd00::1').ok).toBe(true);
    expect(extractIpAddress('10.0.0.1 10.0.0.2').ok).toBe(false);
    expect(extractIpAddress('10.0.0.0/24').ok).toBe(false);
    expect(extractIpAddress('fd00::/64').ok).toBe(false);
  });
});

describe('LRP networks (extract_lrp_networks)', () => {
  it('parses networks and appends the link-local address (verified)', () => {
    const r = extractLrpNetworks('00:00:00:00:01:01', ['10.1.0.1/24', '0.0.0.0/8', 'bogus', 'FD01:0::1/64', '10.3.0.1/255.255.255.0']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(show(r.value.addresses)).toBe('00:00:00:00:01:01 10.1.0.1/24 10.3.0.1/24 fd01::1/64 fe80::200:ff:fe00:101/64');
    expect(r.value.warnings).toEqual(["bad 'networks' 0.0.0.0/8", "invalid syntax 'bogus' in networks"]);
    const lla = r.value.addresses.ipv6Addrs[1]!;
    expect(lla.isLla).toBe(true);
    expect(lla.networkStr).toBe('fe80::');
    expect(lla.snAddrStr).toBe('ff02::1:ff00:101');
  });
  it('whole-string parsing of networks', () => {
    const r = extractLrpNetworks('0:0:0:0:1:2', ['10.2.0.1/24 ', '10.2.0.1/24x', ' 10.2.0.9/24']);
    expect(r.ok && show(r.value.addresses)).toBe('00:00:00:00:01:02 10.2.0.9/24 fe80::200:ff:fe00:102/64');
  });
  it('rejects a bad MAC (verified: "bad \'mac\'")', () => {
    for (const m of ['zz:0:0:0:1:3', 'A:0:0:0:1:4 ', '']) {
      const r = extractLrpNetworks(m, ['10.4.0.1/24']);
      expect(r.ok, m).toBe(false);
    }
  });
});

describe('port_security', () => {
  it('keeps entries with a MAC, like op->ps_addrs (verified via lookup_fdb flows)', () => {
    const ps = parsePortSecurity(['junk', '0:0:0:0:0:1 junk', '00:00:00:00:00:02 10.0.0.2 10.0.0.0/24 fd00::2']);
    expect(ps.entries.map(show)).toEqual(['00:00:00:00:00:01', '00:00:00:00:00:02 10.0.0.2/32 10.0.0.0/24 fd00::2/128']);
    expect(ps.warnings).toEqual([
      "invalid syntax 'junk' in port security. No MAC address found",
      "invalid syntax '0:0:0:0:0:1 junk' in address",
    ]);
    expect(parsePortSecurity([]).entries).toEqual([]);
  });
});
