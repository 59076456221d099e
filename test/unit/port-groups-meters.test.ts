// SB Port_Group, the port groups' address sets and SB Meter rows, from small
// NB contents.  The expected values are what ovn-northd 23.03.1 wrote for the
// same inputs in lflows/058-port-group-rows and lflows/059-meters (the
// normalised IPv6 forms, CIDR suffixes stripped, port security and "router"
// ignored, fair-meter copies without `log`).
import { describe, expect, it } from 'vitest';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { compile } from '../../src/compile/compile.js';
import { compareBands } from '../../src/compile/meters.js';
import { normaliseDesired } from '../../src/replay/sb-compare.js';

type WireRows = Record<string, Record<string, Record<string, unknown>>>;
const map = (o: Record<string, string>): unknown => ['map', Object.entries(o)];
const strs = (...xs: string[]): unknown => ['set', xs];
const refs = (...uuids: string[]): unknown => ['set', uuids.map((u) => ['uuid', u])];
const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0e:00:00:00:00:01' };
const EMPTY_SB = viewFromWireTables(bundledSchema('sb'), {}) as unknown as SbView;

function run(rows: WireRows) {
  const nb = viewFromWireTables(bundledSchema('nb'), rows) as unknown as NbView;
  return { desired: compile({ nb, sb: EMPTY_SB }, FRESH) };
}

const lsp = (name: string, addresses: string[], extra: Record<string, unknown> = {}) => ({ name, addresses: strs(...addresses), ...extra });

describe('port groups in the SB', () => {
  const rows: WireRows = {
    Logical_Switch: {
      // sw0 has IPAM, as in 058: the dynamic port keeps the address IPAM gave it.
      [u(1)]: { name: 'sw0', ports: refs(u(11), u(12), u(13), u(14), u(15), u(16), u(17)), other_config: map({ subnet: '10.0.0.0/24' }) },
      [u(2)]: { name: 'sw1', ports: refs(u(21)) },
    },
    Logical_Switch_Port: {
      [u(11)]: lsp('v4', ['50:54:00:00:00:01 10.0.1.13/24']),
      [u(12)]: lsp('dual', ['50:54:00:00:00:02 10.0.0.12 fd00:0:0::5 FD00::0:0:6']),
      [u(13)]: lsp('ps', ['50:54:00:00:00:03'], { port_security: strs('50:54:00:00:00:03 10.0.0.50') }),
      [u(14)]: lsp('rtr', ['router']),
      [u(15)]: lsp('unk', ['unknown']),
      [u(16)]: lsp('dyn', ['dynamic'], { dynamic_addresses: '0a:00:00:00:00:03 10.0.0.2' }),
      [u(17)]: lsp('junk', ['50:54:00:00:00:07 10.0.0.7 garbage 10.0.0.8']),
      [u(21)]: lsp('other', ['50:54:00:00:01:01 10.0.0.12']),
    },
    Port_Group: {
      [u(31)]: { name: 'pg_span', ports: refs(u(11), u(12), u(13), u(14), u(15), u(16), u(17), u(21)) },
      [u(32)]: { name: 'pg_empty', ports: refs() },
    },
  };

  it('one row per (group, switch), named by the switch tunnel key, holding that switch’s members', () => {
    const d = run(rows).desired;
    const key = (sw: string) => d.datapaths.get(sw)!.tunnelKey;
    expect(new Map(d.portGroups)).toEqual(
      new Map([
        [`${key(u(1))}_pg_span`, ['dual', 'dyn', 'junk', 'ps', 'rtr', 'unk', 'v4']],
        [`${key(u(2))}_pg_span`, ['other']],
      ]),
    );
  });

  it('derives <group>_ip4/_ip6 from addresses and dynamic_addresses, normalised, sorted, unique; empty groups get empty sets', () => {
    const d = run(rows).desired;
    expect(d.addressSets.get('pg_span_ip4')).toEqual(['10.0.0.12', '10.0.0.2', '10.0.0.7', '10.0.1.13']);
    expect(d.addressSets.get('pg_span_ip6')).toEqual(['fd00::5', 'fd00::6']);
    expect(d.addressSets.get('pg_empty_ip4')).toEqual([]);
    expect(d.addressSets.get('pg_empty_ip6')).toEqual([]);
  });

  it('an NB address set with a derived set’s name wins, with a warning', () => {
    const d = run({ ...rows, Address_Set: { [u(41)]: { name: 'pg_span_ip4', addresses: strs('192.0.2.1') } } }).desired;
    expect(d.addressSets.get('pg_span_ip4')).toEqual(['192.0.2.1']);
    expect(d.diagnostics.some((x) => x.key === 'address-set-name-collision')).toBe(true);
  });

  it('normalises a group name’s tunnel key to its datapath for comparisons', () => {
    const n = normaliseDesired(run(rows).desired)['Port_Group']!;
    expect([...n.keys()].sort()).toEqual([`sw0(${u(1)})_pg_span`, `sw1(${u(2)})_pg_span`]);
  });
});

describe('meters in the SB', () => {
  const bands: WireRows['Meter_Band'] = {
    [u(51)]: { action: 'drop', rate: 100, burst_size: 0 },
    [u(52)]: { action: 'drop', rate: 500, burst_size: 50 },
    [u(53)]: { action: 'drop', rate: 10, burst_size: 0 },
  };
  const rows: WireRows = {
    Meter_Band: bands,
    Meter: {
      [u(61)]: { name: 'm-two', unit: 'kbps', fair: true, bands: refs(u(51), u(52)) },
      [u(62)]: { name: 'm-plain', unit: 'pktps', bands: refs(u(53)) },
    },
    ACL: {
      [u(71)]: { direction: 'to-lport', priority: 1000, match: 'ip4', action: 'allow', log: true, meter: 'm-two' },
      // No log: the reference still makes the private copy.
      [u(72)]: { direction: 'to-lport', priority: 1000, match: 'ip6', action: 'allow', log: false, meter: 'm-two' },
      [u(73)]: { direction: 'to-lport', priority: 1000, match: 'tcp', action: 'allow', log: true, meter: 'm-plain' },
      [u(74)]: { direction: 'to-lport', priority: 1000, match: 'udp', action: 'allow', log: true, meter: 'm-missing' },
    },
    Logical_Switch: { [u(1)]: { name: 'sw0', acls: refs(u(71), u(72), u(73), u(74)) } },
  };

  it('copies every NB meter and makes <meter>__<acl> for ACLs naming a fair meter', () => {
    const m = run(rows).desired.meters;
    const two = { unit: 'kbps', bands: [{ action: 'drop', rate: 500, burst_size: 50 }, { action: 'drop', rate: 100, burst_size: 0 }] };
    expect(new Map(m)).toEqual(
      new Map<string, unknown>([
        ['m-two', two],
        ['m-plain', { unit: 'pktps', bands: [{ action: 'drop', rate: 10, burst_size: 0 }] }],
        [`m-two__${u(71)}`, two],
        [`m-two__${u(72)}`, two],
      ]),
    );
  });

  it('orders bands as the reference compares them: rate, burst size (descending), action', () => {
    const b = (rate: number, burst: number) => ({ action: 'drop', rate, burst_size: burst });
    expect([b(1, 0), b(5, 1), b(5, 9), b(2, 0)].sort(compareBands)).toEqual([b(5, 9), b(5, 1), b(2, 0), b(1, 0)]);
  });
});
