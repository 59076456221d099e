// Cases marked "verified" were checked against the real ovn-northd 23.03.1
// (Load_Balancer vips set directly, LB attached to a switch, ls_in_lb flows
// and the "Failed to initialize LB VIP" log read).
import { describe, expect, it } from 'vitest';
import {
  formatLbBackendForHealthCheck,
  formatLbBackends,
  formatLbVip,
  formatLbVip6Template,
  type LbVip,
  parseLbKey,
  parseLbVip,
  parseLbVips,
  smapGetBool,
  splitHostPort,
} from '../../src/model/vip.js';

function vip(key: string, value: string): LbVip | string {
  const r = parseLbVip(key, value);
  return r.ok ? r.value : r.error.message;
}
function ok(key: string, value: string): LbVip {
  const r = parseLbVip(key, value);
  if (!r.ok) throw new Error(`expected ${key}=${value} to parse: ${r.error.message}`);
  return r.value;
}

describe('LB keys (ip_address_and_port_from_lb_key)', () => {
  it('splits host and port like inet_parse_host_port_tokens', () => {
    expect(splitHostPort('1.2.3.4:80')).toEqual({ host: '1.2.3.4', port: '80' });
    expect(splitHostPort('1.2.3.4')).toEqual({ host: '1.2.3.4', port: undefined });
    expect(splitHostPort('[fd00::1]:80')).toEqual({ host: 'fd00::1', port: '80' });
    expect(splitHostPort('[fd00::1]')).toEqual({ host: 'fd00::1', port: undefined });
    expect(splitHostPort('fd00::1:80')).toEqual({ host: 'fd00::1:80', port: undefined });
    expect(splitHostPort('1.2.3.4:')).toEqual({ host: '1.2.3.4', port: '' });
  });
  it('parses and canonicalizes', () => {
    expect(parseLbKey('10.0.0.1:80')).toMatchObject({ ok: true, value: { ipStr: '10.0.0.1', port: 80, addr: { family: 4 } } });
    expect(parseLbKey('[FD00:0::1]:8080')).toMatchObject({ ok: true, value: { ipStr: 'fd00::1', port: 8080, addr: { family: 6 } } });
    expect(parseLbKey('fd00::1')).toMatchObject({ ok: true, value: { ipStr: 'fd00::1', port: 0 } });
    expect(parseLbKey('10.0.0.1: 80')).toMatchObject({ ok: true, value: { port: 80 } });
    expect(parseLbKey('10.0.0.1:+80')).toMatchObject({ ok: true, value: { port: 80 } });
    expect(parseLbKey('10.0.0.1:0081')).toMatchObject({ ok: true, value: { port: 81 } });
    expect(parseLbKey('[10.0.0.1]:80')).toMatchObject({ ok: true, value: { ipStr: '10.0.0.1', port: 80 } });
    expect(parseLbKey('fe80::1%0')).toMatchObject({ ok: true, value: { ipStr: 'fe80::1' } });
  });
  it('rejects bad keys', () => {
    const bad: [string, string][] = [
      ['01.0.0.1:80', 'bad-address'],
      ['10.0.0.1:65536', 'bad-port'],
      ['10.0.0.1:-1', 'bad-port'],
      ['10.0.0.1:80x', 'bad-port'],
      ['10.0.0.1:0x50', 'bad-port'],
      [':80', 'bad-address'],
      ['', 'bad-address'],
      ['host.example:80', 'bad-address'],
      ['[fd00::1]:80:90', 'bad-address'],
      ['fd00::1]', 'bad-address'],
      [' 10.0.0.1:80', 'bad-address'],
      ['fe80::1%eth0', 'unsupported-scope'],
    ];
    for (const [k, kind] of bad) {
      const r = parseLbKey(k);
      expect(r.ok, k).toBe(false);
      if (!r.ok) expect(r.error.kind, k).toBe(kind);
    }
  });
});

describe('LB VIPs (ovn_lb_vip_init)', () => {
  it('accepts valid VIPs (verified)', () => {
    const a = ok('10.9.0.6: 80', '10.0.0.1:+80,10.0.0.2: 0081');
    expect(a).toMatchObject({ vipStr: '10.9.0.6', vipPort: 80, portStr: '80', addressFamily: 4 });
    expect(a.backends.map((b) => [b.ipStr, b.port, b.portStr])).toEqual([
      ['10.0.0.1', 80, '80'],
      ['10.0.0.2', 81, '81'],
    ]);
    expect(formatLbBackends(a)).toBe('10.0.0.1:80,10.0.0.2:81');
    expect(formatLbVip(a)).toBe('10.9.0.6:80');

    const b = ok('[10.9.0.3]:80', '[10.0.0.1]:8080');
    expect(b).toMatchObject({ vipStr: '10.9.0.3', portStr: '80' });

    const c = ok('[FD00:0::10]:80', '[fd00::1]:80,[FD00::2]:81');
    expect(formatLbVip(c)).toBe('[fd00::10]:80');
    expect(formatLbBackends(c)).toBe('[fd00::1]:80,[fd00::2]:81');

    const d = ok('fd00::9:80', 'fd00::2'); // no port: the whole thing is the address
    expect(d).toMatchObject({ vipStr: 'fd00::9:80', vipPort: 0, addressFamily: 6 });
    expect(d.portStr).toBeUndefined();
    expect(formatLbVip(d)).toBe('fd00::9:80');

    expect(c.backends.map(formatLbBackendForHealthCheck)).toEqual(['[fd00::1]:80', '[fd00::2]:81']);
    expect(a.backends.map(formatLbBackendForHealthCheck)).toEqual(['10.0.0.1:80', '10.0.0.2:81']);
    const e = ok('fd00::13', 'fd00::1,fd00::2');
    expect(formatLbBackends(e)).toBe('fd00::1,fd00::2');
  });
  it('treats port 0 and an empty port as no port (verified)', () => {
    const z = ok('10.9.0.4:0', '10.0.0.1');
    expect(z.vipPort).toBe(0);
    expect(z.portStr).toBeUndefined();
    const f = ok('10.9.0.5:', '10.0.0.1,,10.0.0.2,'); // empty tokens are skipped
    expect(f.portStr).toBeUndefined();
    expect(f.backends.map((b) => b.ipStr)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(vip('10.9.0.4:0', '10.0.0.1:80')).toBe('10.0.0.1:80: should be an IP address.');
  });
  it('accepts a VIP without backends (verified)', () => {
    const g = ok('10.9.0.11:80', '');
    expect(g.backends).toEqual([]);
    expect(formatLbBackends(g)).toBe('');
  });
  it('rejects the whole VIP for any bad backend (verified)', () => {
    expect(vip('10.9.0.1:80', '10.0.0.1:80,bad')).toBe('bad: should be an IP address and a port number with : as a separator.');
    expect(vip('10.9.0.2:80', '10.0.0.1:80, 10.0.0.2:80')).toBe(
      ' 10.0.0.2:80: should be an IP address and a port number with : as a separator.',
    );
    expect(vip('10.9.0.8:80', '10.0.0.1')).toBe('10.0.0.1: should be an IP address and a port number with : as a separator.');
    expect(vip('10.9.0.9', '10.0.0.1:80')).toBe('10.0.0.1:80: should be an IP address.');
    expect(vip('10.9.0.10:80', 'fd00::1:80')).toBe('fd00::1:80: IP address family is different from VIP 10.9.0.10.');
    expect(vip('10.9.0.9', 'bad1,10.0.0.1:80')).toBe('bad1: should be an IP address, 10.0.0.1:80: should be an IP address.');
  });
  it('rejects bad VIP keys (verified)', () => {
    for (const k of ['01.9.0.7:80', '10.9.0.12:65536', 'junk', '']) {
      const r = parseLbVip(k, '10.0.0.1:80');
      expect(r.ok, k).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('bad-vip');
        expect(r.error.message).toBe(`${k}: should be an IP address (or an IP address and a port number with : as a separator).`);
      }
    }
  });
  it('parses a whole vips column, skipping bad VIPs with OVN warnings', () => {
    const r = parseLbVips({ '10.0.0.10:80': '10.0.0.1:80', '10.0.0.11:80': '10.0.0.1' });
    expect(r.vips.map((v) => v.key)).toEqual(['10.0.0.10:80']);
    expect(r.warnings).toEqual(['Failed to initialize LB VIP: 10.0.0.1: should be an IP address and a port number with : as a separator.']);
  });
});

describe('template LBs', () => {
  it('splits template keys and backends', () => {
    const r = parseLbVips({ '^vip:^port': '^ip1:^p1,^ip2:80' }, { template: 'true' });
    expect(r.warnings).toEqual([]);
    const v = r.vips[0]!;
    expect(v).toMatchObject({ vipStr: '^vip', portStr: '^port', template: true, templateBackends: true, addressFamily: 4 });
    expect(v.vip).toBeUndefined();
    expect(v.backends).toEqual([
      { ipStr: '^ip1', port: 0, portStr: '^p1' },
      { ipStr: '^ip2', port: 0, portStr: '80' },
    ]);
    expect(formatLbVip(v)).toBe('^vip:^port');
  });
  it('falls back to explicit backends and reports both errors', () => {
    const a = parseLbVip('^vip:80', '10.0.0.1:80', true, 4);
    // "10.0.0.1:80" is a valid template too (two atoms)
    expect(a.ok && a.value.templateBackends).toBe(true);
    const b = parseLbVip('^vip:80', '[fd00::1]:80', true, 6);
    expect(b.ok && b.value.templateBackends).toBe(false);
    expect(b.ok && formatLbBackends(b.value)).toBe('[fd00::1]:80');
    const c = parseLbVip('^vip', 'a:b:c', true, 4);
    expect(!c.ok && c.error.message).toBe(
      "invalid backend: template (a:b:c: should be a template of the form: '^backendip_variable1[:^port_variable1|:port]'.) OR explicit (a:b:c: should be an IP address.)",
    );
    const d = parseLbVip('a:b:c', '', true, 4);
    expect(!d.ok && d.error.kind).toBe('bad-template');
  });
  it('formats IPv6 template VIPs for ovn-controller', () => {
    const v = parseLbVip('^vip:^port', '^b', true, 6);
    expect(v.ok && formatLbVip6Template(v.value)).toBe('[^vip]:^port');
  });
});

describe('smap_get_bool', () => {
  it('matches OVS', () => {
    expect(smapGetBool({ a: 'TRUE' }, 'a')).toBe(true);
    expect(smapGetBool({ a: 'yes' }, 'a')).toBe(false);
    expect(smapGetBool({}, 'a')).toBe(false);
    expect(smapGetBool({}, 'a', true)).toBe(true);
    expect(smapGetBool({ a: 'False' }, 'a', true)).toBe(false);
    expect(smapGetBool({ a: 'no' }, 'a', true)).toBe(true);
  });
});
