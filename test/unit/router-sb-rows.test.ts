// SB rows of router features that are not flows: HA_Chassis_Group /
// HA_Chassis (with ref_chassis), Static_MAC_Binding and BFD — what the
// compiler wants, what the differ writes, and the NB BFD status write-back.
import { describe, expect, it } from 'vitest';
import { bundledSchema, loadNbView, loadSbView, viewFromWireTables } from '../../src/replay/load.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { compile } from '../../src/compile/compile.js';
import { syncedBfdStatus } from '../../src/compile/bfd-status.js';
import { BFD_SRC_PORT_FIRST, bfdDisc, bfdKey, buildBfd } from '../../src/compile/bfd.js';
import { staticMacBindingKey } from '../../src/compile/static-mac-bindings.js';
import { KEEP_SB_ROW } from '../../src/compile/desired.js';
import { diffSb } from '../../src/sb/differ.js';
import { namedUuid } from '../../src/ovsdb/datum.js';
import { sbInputsOnly } from '../../src/replay/replay.js';
import { computeBfdWriteback } from '../../src/daemon/nb-writeback.js';
import type { NbBFD } from '../../src/model/nb.js';
import type { SbBFD } from '../../src/model/sb.js';

const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0a:00:00:00:00:01' };
type Wire = Record<string, unknown>;
const map = (o: Record<string, string>): unknown => ['map', Object.entries(o)];
const set = (xs: readonly unknown[]): unknown => ['set', xs];
const refs = (us: readonly string[]): unknown => set(us.map((u) => ['uuid', u]));
const u = (prefix: string, i: number): string => `${prefix}${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`;

const nbView = (tables: Record<string, Record<string, Wire>>): NbView => viewFromWireTables(bundledSchema('nb'), tables) as unknown as NbView;
const sbView = (tables: Record<string, Record<string, Wire>>): SbView => viewFromWireTables(bundledSchema('sb'), tables) as unknown as SbView;

/** A router-type switch port facing `lrp`. */
const rtrPort = (name: string, lrp: string): Wire => ({ name, type: 'router', addresses: set(['router']), options: map({ 'router-port': lrp }) });

/**
 * sw0 (vm0) — lr0 — public; lr0-public is a distributed gateway port on gw1/gw2.
 * lr0 — transit — lr1 — sw1 (vm1): lr1 is in lr0's router group through the transit switch.
 * sw2 (vm2) — lr2 alone.
 */
function topology(opts: { gatewayChassis?: number; extra?: Record<string, Record<string, Wire>> } = {}): NbView {
  const gwcs = [u('a000', 0), u('a000', 1)].slice(0, opts.gatewayChassis ?? 2);
  const lrp = (name: string, mac: string, net: string, extra: Wire = {}): Wire => ({ name, mac, networks: set([net]), ...extra });
  const tables: Record<string, Record<string, Wire>> = {
    NB_Global: { [u('f000', 0)]: {} },
    Logical_Router: {
      [u('1000', 0)]: { name: 'lr0', ports: refs([u('2000', 0), u('2000', 1), u('2000', 2)]) },
      [u('1000', 1)]: { name: 'lr1', ports: refs([u('2000', 3), u('2000', 4)]) },
      [u('1000', 2)]: { name: 'lr2', ports: refs([u('2000', 5)]) },
    },
    Logical_Router_Port: {
      [u('2000', 0)]: lrp('lr0-sw0', '00:00:00:00:ff:01', '10.0.0.1/24'),
      [u('2000', 1)]: lrp('lr0-public', '00:00:00:00:ff:02', '172.16.0.1/24', { gateway_chassis: refs(gwcs) }),
      [u('2000', 2)]: lrp('lr0-transit', '00:00:00:00:ff:03', '100.64.0.1/24'),
      [u('2000', 3)]: lrp('lr1-transit', '00:00:00:00:ff:04', '100.64.0.2/24'),
      [u('2000', 4)]: lrp('lr1-sw1', '00:00:00:00:ff:05', '10.1.0.1/24'),
      [u('2000', 5)]: lrp('lr2-sw2', '00:00:00:00:ff:06', '10.2.0.1/24'),
    },
    Gateway_Chassis: {
      [u('a000', 0)]: { name: 'lr0-public-gw1', chassis_name: 'gw1', priority: 20 },
      [u('a000', 1)]: { name: 'lr0-public-gw2', chassis_name: 'gw2', priority: 10 },
    },
    Logical_Switch: {
      [u('3000', 0)]: { name: 'sw0', ports: refs([u('4000', 0), u('4000', 1)]) },
      [u('3000', 1)]: { name: 'public', ports: refs([u('4000', 2)]) },
      [u('3000', 2)]: { name: 'transit', ports: refs([u('4000', 3), u('4000', 4)]) },
      [u('3000', 3)]: { name: 'sw1', ports: refs([u('4000', 5), u('4000', 6)]) },
      [u('3000', 4)]: { name: 'sw2', ports: refs([u('4000', 7), u('4000', 8)]) },
    },
    Logical_Switch_Port: {
      [u('4000', 0)]: rtrPort('sw0-lr0', 'lr0-sw0'),
      [u('4000', 1)]: { name: 'vm0', addresses: set(['50:54:00:00:00:01 10.0.0.11']) },
      [u('4000', 2)]: rtrPort('public-lr0', 'lr0-public'),
      [u('4000', 3)]: rtrPort('transit-lr0', 'lr0-transit'),
      [u('4000', 4)]: rtrPort('transit-lr1', 'lr1-transit'),
      [u('4000', 5)]: rtrPort('sw1-lr1', 'lr1-sw1'),
      [u('4000', 6)]: { name: 'vm1', addresses: set(['50:54:00:00:01:01 10.1.0.11']) },
      [u('4000', 7)]: rtrPort('sw2-lr2', 'lr2-sw2'),
      [u('4000', 8)]: { name: 'vm2', addresses: set(['50:54:00:00:02:01 10.2.0.11']) },
    },
  };
  for (const [t, rows] of Object.entries(opts.extra ?? {})) tables[t] = { ...tables[t], ...rows };
  return nbView(tables);
}

const CHASSIS = { [u('c000', 0)]: { name: 'gw1', hostname: 'gw1' }, [u('c000', 1)]: { name: 'hv1', hostname: 'hv1' }, [u('c000', 2)]: { name: 'hv2', hostname: 'hv2' } };

/** The SB after a first commit, with ports bound: port name → chassis row. */
function boundSb(nb: NbView, bound: Record<string, string>): SbView {
  const first = compile({ nb, sb: sbView({ Chassis: CHASSIS }) }, FRESH);
  const dps: Record<string, Wire> = {};
  for (const [nbu, d] of first.datapaths) dps[`dp-${nbu}`] = { tunnel_key: d.tunnelKey, external_ids: map(d.externalIds) };
  const pbs: Record<string, Wire> = {};
  for (const [name, p] of first.portBindings) {
    pbs[`pb-${name}`] = { logical_port: name, datapath: ['uuid', `dp-${p.datapath}`], tunnel_key: p.tunnel_key, type: p.type, ...(bound[name] ? { chassis: ['uuid', bound[name]] } : {}) };
  }
  return sbView({ Chassis: CHASSIS, Datapath_Binding: dps, Port_Binding: pbs });
}

describe('HA chassis groups', () => {
  it('a gateway port with Gateway_Chassis gets a group named after it; its chassisredirect binding names it', () => {
    const d = compile({ nb: topology(), sb: sbView({ Chassis: CHASSIS }) }, FRESH);
    expect([...d.haChassisGroups.keys()]).toEqual(['lr0-public']);
    expect(d.haChassisGroups.get('lr0-public')!.members).toEqual([
      { chassisName: 'gw1', priority: 20 },
      { chassisName: 'gw2', priority: 10 },
    ]);
    expect(d.portBindings.get('cr-lr0-public')!.haChassisGroup).toBe('lr0-public');
    expect(d.portBindings.get('lr0-public')!.haChassisGroup).toBeUndefined();
  });

  it('ref_chassis: the chassis where ports of the router group are bound, for groups of two or more', () => {
    const nb = topology();
    const ref = (bound: Record<string, string>, n = nb) => compile({ nb: n, sb: boundSb(n, bound) }, FRESH).haChassisGroups.get('lr0-public')!.refChassis;
    expect(ref({})).toEqual([]);
    // vm0 behind lr0, vm1 behind lr1 (lr0's group through the transit switch); vm2's lr2 is not in it.
    expect(ref({ vm0: u('c000', 1) })).toEqual(['hv1']);
    expect(ref({ vm1: u('c000', 2), vm2: u('c000', 1) })).toEqual(['hv2']);
    expect(ref({ vm0: u('c000', 1), vm1: u('c000', 2) })).toEqual(['hv1', 'hv2']);
    // One member: no ref_chassis (ovn-controller needs no BFD between gateways then).
    const single = topology({ gatewayChassis: 1 });
    expect(ref({ vm0: u('c000', 1) }, single)).toEqual([]);
  });

  it('an NB group wins over Gateway_Chassis (with a warning); external ports get their NB group', () => {
    const hag = u('b000', 0);
    const nb = topology({
      extra: {
        HA_Chassis_Group: { [hag]: { name: 'hagrp1', ha_chassis: refs([u('b100', 0)]) } },
        HA_Chassis: { [u('b100', 0)]: { chassis_name: 'gw3', priority: 30 } },
        Logical_Router_Port: {
          [u('2000', 1)]: { name: 'lr0-public', mac: '00:00:00:00:ff:02', networks: set(['172.16.0.1/24']), gateway_chassis: refs([u('a000', 0)]), ha_chassis_group: ['uuid', hag] },
        },
        Logical_Switch: { [u('3000', 1)]: { name: 'public', ports: refs([u('4000', 2), u('4000', 9)]) } },
        Logical_Switch_Port: { [u('4000', 9)]: { name: 'ext0', type: 'external', addresses: set(['50:54:00:00:09:01 172.16.0.9']), ha_chassis_group: ['uuid', hag] } },
      },
    });
    const d = compile({ nb, sb: sbView({ Chassis: CHASSIS }) }, FRESH);
    expect([...d.haChassisGroups.keys()]).toEqual(['hagrp1']);
    expect(d.haChassisGroups.get('hagrp1')!.members).toEqual([{ chassisName: 'gw3', priority: 30 }]);
    expect(d.portBindings.get('cr-lr0-public')!.haChassisGroup).toBe('hagrp1');
    expect(d.portBindings.get('ext0')!.haChassisGroup).toBe('hagrp1');
    expect(d.diagnostics.map((x) => x.key)).toContain('ha-chassis-group-and-gateway-chassis');
  });

  it('the differ inserts groups with their members (chassis by name when it exists) and points the binding at them', () => {
    const nb = topology();
    const sb = sbView({ Chassis: CHASSIS });
    const d = compile({ nb, sb }, FRESH);
    const diff = diffSb(d, sb);
    expect(diff.counts['HA_Chassis_Group']).toEqual({ insert: 1, update: 0, delete: 0 });
    expect(diff.counts['HA_Chassis']).toEqual({ insert: 2, update: 0, delete: 0 });
    const members = diff.ops.filter((o) => o.op === 'insert' && o.table === 'HA_Chassis').map((o) => (o as { row: Wire }).row);
    expect(members).toEqual([
      { chassis: u('c000', 0), priority: 20, external_ids: { 'chassis-name': 'gw1' } },
      { priority: 10, external_ids: { 'chassis-name': 'gw2' } },
    ]);
    const cr = diff.ops.find((o) => o.op === 'insert' && o.table === 'Port_Binding' && (o as { row: Wire }).row['logical_port'] === 'cr-lr0-public') as { row: Wire };
    const group = diff.ops.find((o) => o.op === 'insert' && o.table === 'HA_Chassis_Group') as { uuidName: string };
    expect(cr.row['ha_chassis_group']).toEqual(namedUuid(group.uuidName));
  });

  it('the reference SB of 071 needs nothing; an edited member or a stray group is rewritten', () => {
    const dir = 'lflows/071-dgp-gateway-chassis';
    const nb = loadNbView(`${dir}/nb.db`);
    const sb = loadSbView(`${dir}/sb.db`);
    const d = compile({ nb, sb }, FRESH);
    const counts = diffSb(d, sb).counts;
    for (const t of ['HA_Chassis_Group', 'HA_Chassis', 'Port_Binding']) expect(counts[t], t).toBeUndefined();
    // A member's priority edited in place: the group gets new members.
    const ha = new Map(sb.HA_Chassis);
    const [hu, hrow] = [...ha][0]!;
    ha.set(hu, { ...hrow, priority: 99 });
    const edited = { ...sb, HA_Chassis: ha, HA_Chassis_Group: new Map([...sb.HA_Chassis_Group, ['stray', { _uuid: 'stray', name: 'stray', ha_chassis: [], ref_chassis: [], external_ids: {} }]]) } as SbView;
    const again = diffSb(d, edited).counts;
    expect(again['HA_Chassis_Group']).toEqual({ insert: 0, update: 1, delete: 1 });
    expect(again['HA_Chassis']).toEqual({ insert: 2, update: 0, delete: 0 });
  });
});

describe('static MAC bindings', () => {
  it('router ports (and chassisredirect ports) get rows on their router; other ports keep whatever SB row exists', () => {
    const nb = topology({
      extra: {
        Static_MAC_Binding: {
          [u('d000', 0)]: { logical_port: 'lr0-sw0', ip: '10.0.0.200', mac: '00:00:00:00:aa:01', override_dynamic_mac: true },
          [u('d000', 1)]: { logical_port: 'cr-lr0-public', ip: '172.16.0.254', mac: '00:00:00:00:aa:02' },
          [u('d000', 2)]: { logical_port: 'vm0', ip: '10.0.0.9', mac: '00:00:00:00:aa:03' },
        },
      },
    });
    const d = compile({ nb, sb: sbView({}) }, FRESH);
    expect(d.staticMacBindings.get(staticMacBindingKey('lr0-sw0', '10.0.0.200'))).toEqual({
      logical_port: 'lr0-sw0',
      ip: '10.0.0.200',
      mac: '00:00:00:00:aa:01',
      override_dynamic_mac: true,
      datapath: u('1000', 0),
    });
    expect(d.staticMacBindings.get(staticMacBindingKey('cr-lr0-public', '172.16.0.254'))).toMatchObject({ datapath: u('1000', 0) });
    expect(d.staticMacBindings.get(staticMacBindingKey('vm0', '10.0.0.9'))).toBe(KEEP_SB_ROW);
    // The differ writes the two rows and leaves an SB row of the kept key alone.
    const sb = sbView({ Static_MAC_Binding: { s0: { logical_port: 'vm0', ip: '10.0.0.9', mac: 'x', datapath: ['uuid', 'nowhere'] } } });
    const diff = diffSb(compile({ nb, sb }, FRESH), sb);
    expect(diff.counts['Static_MAC_Binding']).toEqual({ insert: 2, update: 0, delete: 0 });
  });

  it('the reference SB of 077 needs nothing; an edited MAC is written back, the datapath is never moved', () => {
    const dir = 'lflows/077-static-mac-bindings';
    const nb = loadNbView(`${dir}/nb.db`);
    const sb = loadSbView(`${dir}/sb.db`);
    expect(diffSb(compile({ nb, sb }, FRESH), sb).counts['Static_MAC_Binding']).toBeUndefined();
    const rows = new Map(sb.Static_MAC_Binding);
    const [k, row] = [...rows][0]!;
    rows.set(k, { ...row, mac: '00:00:00:00:00:99' });
    const diff = diffSb(compile({ nb, sb }, FRESH), { ...sb, Static_MAC_Binding: rows });
    const up = diff.ops.filter((o) => 'table' in o && o.table === 'Static_MAC_Binding');
    expect(up).toHaveLength(1);
    expect((up[0] as { row: Wire }).row).toEqual({ mac: row.mac });
  });
});

describe('BFD', () => {
  const nbBfd = (i: number, dst: string, extra: Partial<NbBFD> = {}): NbBFD => ({
    _uuid: u('e000', i),
    logical_port: 'lr0-public',
    dst_ip: dst,
    min_tx: undefined,
    min_rx: undefined,
    detect_mult: undefined,
    status: undefined,
    external_ids: {},
    options: {},
    ...extra,
  });
  const sbBfd = (dst: string, src: number, status: SbBFD['status'], lp = 'lr0-public'): SbBFD => ({
    _uuid: `sb-${lp}-${dst}`,
    logical_port: lp,
    dst_ip: dst,
    src_port: src,
    disc: 77,
    min_tx: 1,
    min_rx: 1,
    detect_mult: 1,
    status,
    external_ids: {},
    options: {},
  });

  it('status: unset is admin_down; admin_down on either side wins, otherwise the SB (ovn-controller) does', () => {
    expect(syncedBfdStatus(undefined, undefined)).toBe('admin_down');
    expect(syncedBfdStatus('down', undefined)).toBe('down');
    expect(syncedBfdStatus('down', 'up')).toBe('up');
    expect(syncedBfdStatus('up', 'down')).toBe('down');
    expect(syncedBfdStatus('admin_down', 'up')).toBe('admin_down');
    expect(syncedBfdStatus('up', 'admin_down')).toBe('up');
    expect(syncedBfdStatus(undefined, 'up')).toBe('admin_down');
  });

  it('new sessions take the lowest source ports no SB row holds; existing ones keep theirs and their discriminator', () => {
    const sb = new Map([
      ['a', sbBfd('1.1.1.1', BFD_SRC_PORT_FIRST, 'up')],
      ['b', sbBfd('9.9.9.9', BFD_SRC_PORT_FIRST + 1, 'down', 'gone')], // stale, still holds its port
    ]);
    const r = buildBfd([nbBfd(0, '1.1.1.1', { status: 'down' }), nbBfd(1, '2.2.2.2'), nbBfd(2, '3.3.3.3', { min_tx: 300, detect_mult: 3 })], sb, new Set(), 5);
    expect(r.rows.get(bfdKey('lr0-public', '1.1.1.1'))).toMatchObject({ src_port: BFD_SRC_PORT_FIRST, disc: 77, status: 'up', min_tx: 1000, min_rx: 1000, detect_mult: 5 });
    expect(r.rows.get(bfdKey('lr0-public', '2.2.2.2'))).toMatchObject({ src_port: BFD_SRC_PORT_FIRST + 2, status: 'admin_down', disc: bfdDisc(5, u('e000', 1)) });
    expect(r.rows.get(bfdKey('lr0-public', '3.3.3.3'))).toMatchObject({ src_port: BFD_SRC_PORT_FIRST + 3, min_tx: 300, detect_mult: 3 });
    expect(r.rows.has(bfdKey('gone', '9.9.9.9'))).toBe(false);
  });

  it('NB status: a session a route uses leaves admin_down for down; one with an SB row and no route goes admin_down', () => {
    const sb = new Map([['a', sbBfd('1.1.1.1', BFD_SRC_PORT_FIRST, 'down')]]);
    const used = new Set([u('e000', 1)]);
    const r = buildBfd([nbBfd(0, '1.1.1.1', { status: 'down' }), nbBfd(1, '2.2.2.2'), nbBfd(2, '3.3.3.3')], sb, used, 0);
    expect(r.nbStatus.get(u('e000', 0))).toBe('admin_down'); // SB row, no route
    expect(r.nbStatus.get(u('e000', 1))).toBe('down'); // route, new
    expect(r.nbStatus.get(u('e000', 2))).toBe('admin_down'); // no route, new: left alone
    expect(r.rows.get(bfdKey('lr0-public', '2.2.2.2'))!.status).toBe('admin_down'); // the SB row follows next run
  });

  it('discriminators: 1..2^32-1, a function of the seed and the session', () => {
    for (let i = 0; i < 100; i++) {
      const d = bfdDisc(i * 7919, u('e000', i));
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(0xffffffff);
      expect(bfdDisc(i * 7919, u('e000', i))).toBe(d);
    }
    expect(bfdDisc(1, u('e000', 0))).not.toBe(bfdDisc(2, u('e000', 0)));
  });

  it('075: the reference SB needs nothing and the NB statuses stand; from scratch the sessions are inserted', () => {
    const dir = 'lflows/075-bfd-route';
    const nb = loadNbView(`${dir}/nb.db`);
    const sb = loadSbView(`${dir}/sb.db`);
    const d = compile({ nb, sb }, FRESH);
    expect(diffSb(d, sb).counts['BFD']).toBeUndefined();
    expect(computeBfdWriteback(nb, d).size).toBe(0);
    const fresh = compile({ nb, sb: sbInputsOnly(sb) }, FRESH);
    const ports = [...fresh.bfd.values()].map((b) => [b.dst_ip, b.src_port, b.status]).sort();
    expect(ports).toEqual([
      ['172.16.0.253', BFD_SRC_PORT_FIRST, 'down'],
      ['172.16.0.254', BFD_SRC_PORT_FIRST + 1, 'down'],
    ]);
  });

  it('write-back: only sessions whose NB status differs', () => {
    const nb = { BFD: new Map([[u('e000', 0), nbBfd(0, '1.1.1.1', { status: 'down' })], [u('e000', 1), nbBfd(1, '2.2.2.2')]]) };
    const out = computeBfdWriteback(nb, { nbBfdStatus: new Map([[u('e000', 0), 'down'], [u('e000', 1), 'admin_down'], [u('e000', 9), 'up']]) });
    expect([...out]).toEqual([[u('e000', 1), 'admin_down']]);
  });
});
