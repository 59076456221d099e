// The daemon against real NB/SB ovsdb-servers: it converges to what the
// compiler computes offline, follows NB changes with small transactions,
// propagates nb_cfg, survives bad input and a SB restart, and only the
// holder of the ovn_northd lock writes.
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Northd } from '../../src/daemon/northd.js';
import { compile } from '../../src/compile/compile.js';
import { diffSb } from '../../src/sb/differ.js';
import { nbWithLspUp } from '../../src/daemon/nb-writeback.js';
import { randomFresh } from '../../src/compile/global.js';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import { parseDbFile } from '../../src/ovsdb/dbfile.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { NB_SCHEMA, SB_SCHEMA, ovsdbClient, run, startOvsdbServer, waitUntil, type OvsdbServer } from '../helpers/ovsdb-server.js';

const silent = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function env(): Promise<{ nb: OvsdbServer; sb: OvsdbServer; nbctl: (...a: string[]) => Promise<string> }> {
  const nb = await startOvsdbServer({ schema: NB_SCHEMA });
  const sb = await startOvsdbServer({ schema: SB_SCHEMA });
  cleanups.push(() => nb.stop(), () => sb.stop());
  return { nb, sb, nbctl: (...a) => run('ovn-nbctl', [`--db=${nb.remote}`, ...a], 20_000) };
}

function startNorthd(nb: OvsdbServer, sb: OvsdbServer): Northd {
  const d = new Northd({ nbRemote: nb.remote, sbRemote: sb.remote, logger: silent, probeInterval: 1000 });
  d.start();
  cleanups.push(() => d.stop());
  return d;
}

async function views(nb: OvsdbServer, sb: OvsdbServer): Promise<{ nbv: NbView; sbv: SbView }> {
  const [n, s] = await Promise.all([ovsdbClient(['backup', nb.remote, 'OVN_Northbound']), ovsdbClient(['backup', sb.remote, 'OVN_Southbound'])]);
  return {
    nbv: viewFromWireTables(bundledSchema('nb'), parseDbFile(n).tables) as unknown as NbView,
    sbv: viewFromWireTables(bundledSchema('sb'), parseDbFile(s).tables) as unknown as SbView,
  };
}

/** Nothing left to write: the SB equals the compile of the current NB. */
async function expectConverged(nb: OvsdbServer, sb: OvsdbServer): Promise<void> {
  const { nbv, sbv } = await views(nb, sb);
  const d = diffSb(compile({ nb: nbWithLspUp(nbv, sbv), sb: sbv }, randomFresh()), sbv);
  expect(d.counts).toEqual({});
}

async function countRows(sb: OvsdbServer, table: string): Promise<number> {
  const out = await ovsdbClient(['query', sb.remote, JSON.stringify(['OVN_Southbound', { op: 'select', table, where: [], columns: ['_uuid'] }])]);
  return (JSON.parse(out)[0].rows as unknown[]).length;
}

describe('ovn-northd-ts daemon', () => {
  it('converges, propagates nb_cfg → sb_cfg, and writes back NB_Global options', async () => {
    const { nb, sb, nbctl } = await env();
    startNorthd(nb, sb);
    await nbctl('ls-add', 'ls1');
    await nbctl('lsp-add', 'ls1', 'p1', '--', 'lsp-set-addresses', 'p1', '00:00:00:00:00:01 10.0.0.1');
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    const g = JSON.parse(await nbctl('--format=json', '--columns=nb_cfg,sb_cfg,options', 'list', 'NB_Global'));
    const [nbCfg, sbCfg, options] = g.data[0];
    expect(nbCfg).toBeGreaterThan(0);
    expect(sbCfg).toBe(nbCfg);
    const opts = Object.fromEntries(options[1]);
    expect(opts['northd_internal_version']).toBe('23.03.1-20.27.0-70.6');
    expect(opts['mac_prefix']).toMatch(/^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(opts['svc_monitor_mac']).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(await countRows(sb, 'Port_Binding')).toBe(1);
    await expectConverged(nb, sb);
  });

  it('never overwrites NB_Global options the CMS changes while a run is in flight', async () => {
    const { nb, sb, nbctl } = await env();
    startNorthd(nb, sb);
    // Enough ports that a run takes a while.
    const adds: string[] = ['ls-add', 'ls1'];
    for (let i = 0; i < 1500; i++) adds.push('--', 'lsp-add', 'ls1', `q${i}`, '--', 'lsp-set-addresses', `q${i}`, `00:00:00:00:${String(Math.floor(i / 100)).padStart(2, '0')}:${String(i % 100).padStart(2, '0')} 10.0.${Math.floor(i / 200)}.${(i % 200) + 1}`);
    await nbctl(...adds);
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    // Removing a key northd owns makes its next run write the options back; the CMS's own
    // option change lands while that run is in flight. Every round must keep the CMS's value.
    const options = async () =>
      Object.fromEntries(JSON.parse(await nbctl('--format=json', '--columns=options', 'list', 'NB_Global')).data[0][0][1]) as Record<string, string>;
    const lost: number[] = [];
    for (let i = 1; i <= 20; i++) {
      await Promise.all([
        nbctl('remove', 'NB_Global', '.', 'options', 'northd_internal_version'),
        new Promise((r) => setTimeout(r, 2 + (i % 4) * 2)).then(() => nbctl('set', 'NB_Global', '.', `options:cms_key=${i}`)),
      ]);
      await nbctl('--wait=sb', '--timeout=20', 'sync');
      if ((await options())['cms_key'] !== String(i)) lost.push(i);
    }
    expect(lost).toEqual([]);
    expect((await options())['northd_internal_version']).toBe('23.03.1-20.27.0-70.6');
  });

  it('assigns dynamic addresses (IPAM), writes them back into the NB and keeps them', async () => {
    const { nb, sb, nbctl } = await env();
    startNorthd(nb, sb);
    await nbctl('ls-add', 'ls1', '--', 'set', 'Logical_Switch', 'ls1', 'other_config:subnet=10.9.0.0/24', 'other_config:exclude_ips=10.9.0.2..10.9.0.9');
    await nbctl('lsp-add', 'ls1', 'p1', '--', 'lsp-set-addresses', 'p1', 'dynamic');
    await nbctl('lsp-add', 'ls1', 'p2', '--', 'lsp-set-addresses', 'p2', '50:54:00:00:00:02 dynamic');
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    const dyn = async (p: string): Promise<string> => JSON.parse(await nbctl('--format=json', 'get', 'Logical_Switch_Port', p, 'dynamic_addresses')) as string;
    const prefix = (JSON.parse(await nbctl('--format=json', 'get', 'NB_Global', '.', 'options:mac_prefix')) as string).toLowerCase();
    const [a1, a2] = [await dyn('p1'), await dyn('p2')];
    // p1: a MAC inside mac_prefix and the first address past the exclusions; p2 keeps its MAC.
    const [m1, ip1] = a1.split(' ');
    const [m2, ip2] = a2.split(' ');
    expect(m1!.startsWith(prefix)).toBe(true);
    expect(m2).toBe('50:54:00:00:00:02');
    const octet = (ip: string | undefined): number => Number(ip!.split('.')[3]);
    expect([ip1, ip2].every((ip) => ip!.startsWith('10.9.0.'))).toBe(true);
    expect(ip1).not.toBe(ip2);
    expect(Math.min(octet(ip1), octet(ip2))).toBe(10);
    // The flows use the assigned addresses: L2 lookup to the MAC, ARP replies for the IP.
    const flows = await run('ovn-sbctl', [`--db=${sb.remote}`, 'lflow-list', 'ls1'], 20_000);
    expect(flows).toContain(`eth.dst == ${m1}), action=(outport = "p1"; output;)`);
    expect(flows).toContain(`arp.tpa == ${ip1} && arp.op == 1`);
    // Stable: another run assigns nothing new; converged.
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    expect(await dyn('p1')).toBe(a1);
    await expectConverged(nb, sb);
  });

  it('follows NB changes with small transactions and never duplicates rows', async () => {
    const { nb, sb, nbctl } = await env();
    const d = startNorthd(nb, sb);
    await nbctl('ls-add', 'ls1');
    for (let i = 1; i <= 10; i++) await nbctl('lsp-add', 'ls1', `p${i}`, '--', 'lsp-set-addresses', `p${i}`, `00:00:00:00:00:${String(i).padStart(2, '0')} 10.0.0.${i}`);
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    const flowsBefore = await countRows(sb, 'Logical_Flow');
    await d.whenIdle();
    const runsBefore = d.stats.runs;
    await nbctl('--wait=sb', '--timeout=20', 'lsp-add', 'ls1', 'p11', '--', 'lsp-set-addresses', 'p11', '00:00:00:00:00:11 10.0.0.11');
    await d.whenIdle();
    // One NB change, one compile: the updates that echo our own SB/NB writes start no new run.
    expect(d.stats.runs - runsBefore).toBe(1);
    // One port adds a handful of flows, a Port_Binding and group membership, not a rewrite.
    expect(d.stats.lastSbOps).toBeGreaterThan(0);
    expect(d.stats.lastSbOps).toBeLessThan(20);
    const flowsAfter = await countRows(sb, 'Logical_Flow');
    expect(flowsAfter).toBeGreaterThan(flowsBefore);
    expect(flowsAfter - flowsBefore).toBeLessThan(10);
    await expectConverged(nb, sb);
    await nbctl('--wait=sb', '--timeout=20', 'lsp-del', 'p11');
    expect(await countRows(sb, 'Logical_Flow')).toBe(flowsBefore);
    expect(await countRows(sb, 'Port_Binding')).toBe(10);
    await expectConverged(nb, sb);
  });

  it('skips bad input, keeps the rest of the network, and converges once it is fixed', async () => {
    const { nb, sb, nbctl } = await env();
    startNorthd(nb, sb);
    await nbctl('ls-add', 'ls1');
    await nbctl('lsp-add', 'ls1', 'good', '--', 'lsp-set-addresses', 'good', '00:00:00:00:00:01 10.0.0.1');
    // ovn-nbctl's lsp-set-addresses validates; a CMS writing the column directly does not.
    await nbctl('lsp-add', 'ls1', 'bad', '--', 'set', 'Logical_Switch_Port', 'bad', 'addresses="zz:00:00:00:00:02 10.0.0.2"');
    await nbctl('--id=@lb', 'create', 'Load_Balancer', 'name=lb', 'protocol=tcp', 'vips:"10.0.0.100:80"="10.0.0.1:80,garbage"', '--', 'add', 'Logical_Switch', 'ls1', 'load_balancer', '@lb');
    // A tunnel key the SB schema refuses (1..32767): the reference's SB commits fail forever;
    // ours leaves the key out (with a warning) and the port gets an allocated one.
    await nbctl('lsp-add', 'ls1', 'bigkey', '--', 'lsp-set-options', 'bigkey', 'requested-tnl-key=99999999');
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    const key = Number(await run('ovn-sbctl', [`--db=${sb.remote}`, 'get', 'Port_Binding', 'bigkey', 'tunnel_key']));
    expect(key).toBeGreaterThan(0);
    expect(key).toBeLessThanOrEqual(32767);
    let flows = await run('ovn-sbctl', [`--db=${sb.remote}`, '--dry-run', 'lflow-list']);
    expect(flows).toContain('eth.dst == 00:00:00:00:00:01');
    expect(flows).not.toContain('10.0.0.100');
    await expectConverged(nb, sb);
    await nbctl('--wait=sb', '--timeout=20', 'lsp-set-addresses', 'bad', '00:00:00:00:00:02 10.0.0.2');
    await nbctl('--wait=sb', '--timeout=20', 'set', 'Load_Balancer', 'lb', 'vips:"10.0.0.100:80"="10.0.0.1:80"');
    flows = await run('ovn-sbctl', [`--db=${sb.remote}`, '--dry-run', 'lflow-list']);
    expect(flows).toContain('eth.dst == 00:00:00:00:00:02');
    expect(flows).toContain('ip4.dst == 10.0.0.100');
    await expectConverged(nb, sb);
  });

  it('survives an SB server killed and restarted, without losing or duplicating rows', async () => {
    const { nb, sb, nbctl } = await env();
    startNorthd(nb, sb);
    await nbctl('ls-add', 'ls1');
    await nbctl('lsp-add', 'ls1', 'p1');
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    await sb.kill('SIGKILL');
    await nbctl('lsp-add', 'ls1', 'p2');
    await sb.restart();
    await nbctl('--wait=sb', '--timeout=30', 'sync');
    expect(await countRows(sb, 'Port_Binding')).toBe(2);
    expect(await countRows(sb, 'Datapath_Binding')).toBe(1);
    await expectConverged(nb, sb);
  });

  it('writes only while it holds the ovn_northd lock; the standby takes over', async () => {
    const { nb, sb, nbctl } = await env();
    const a = startNorthd(nb, sb);
    await nbctl('ls-add', 'ls1');
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    const b = startNorthd(nb, sb);
    await waitUntil(() => b.status === 'standby', 5000, 'second daemon on standby');
    expect(a.status).toBe('active');
    const runsB = b.stats.runs;
    await nbctl('--wait=sb', '--timeout=20', 'ls-add', 'ls2');
    expect(b.stats.runs).toBe(runsB);
    await a.stop();
    await waitUntil(() => b.status === 'active', 10_000, 'standby becomes active');
    await nbctl('--wait=sb', '--timeout=20', 'ls-add', 'ls3');
    expect(await countRows(sb, 'Datapath_Binding')).toBe(3);
    await expectConverged(nb, sb);
  });

  it('compiles NB changes incrementally, recomputes fully on request, and writes only changed flows', async () => {
    const { nb, sb, nbctl } = await env();
    const d = startNorthd(nb, sb);
    const setup: string[] = [];
    for (let i = 0; i < 6; i++) {
      setup.push('--', 'ls-add', `ls${i}`);
      for (let j = 0; j < 4; j++) setup.push('--', 'lsp-add', `ls${i}`, `p${i}-${j}`, '--', 'lsp-set-addresses', `p${i}-${j}`, `00:00:00:00:0${i}:0${j} 10.${i}.0.${j + 1}`);
    }
    await nbctl(...setup.slice(1));
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    expect(d.stats.fullRecomputes).toBe(1);

    // One port on one switch: one switch unit recomputed, a handful of flows written.
    await nbctl('--wait=sb', '--timeout=20', 'lsp-add', 'ls2', 'new', '--', 'lsp-set-addresses', 'new', '00:00:00:00:09:09 10.2.0.99');
    await d.whenIdle();
    expect(d.stats.fullRecomputes).toBe(1);
    expect(d.stats.lastCompile?.switchUnitsRecomputed).toBe(1);
    expect(d.stats.lastCompile?.switchUnits).toBe(6);
    const flowsChanged = d.stats.lastCompile!.flowsChanged;
    expect(flowsChanged).toBeGreaterThan(0);
    expect(flowsChanged).toBeLessThan(20);
    // The SB transaction: the new Port_Binding, two Multicast_Group updates, its flows, nb_cfg.
    expect(d.stats.lastSbOps).toBeLessThan(flowsChanged + 6);
    await expectConverged(nb, sb);

    // inc-engine/recompute: a fresh compiler, same SB contents (nothing to write).
    d.recompute();
    await waitUntil(async () => d.stats.fullRecomputes === 2, 10_000);
    await d.whenIdle();
    expect(d.stats.lastSbOps).toBe(0);
    await expectConverged(nb, sb);
    expect(d.describeGraph()).toContain('ls/');
  });

  it('a failed sb_cfg write-back is retried, and is not an unhandled rejection', async () => {
    const { nb, sb, nbctl } = await env();
    await nbctl('ls-add', 'ls1');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(async () => void process.off('unhandledRejection', onUnhandled));
    const d = new Northd({ nbRemote: nb.remote, sbRemote: sb.remote, logger: silent, probeInterval: 1000 });
    // The first NB transaction writing sb_cfg fails (as when the CMS changed NB_Global meanwhile);
    // the daemon has other awaits (the SB echo, the ports' write-back) before it looks at it.
    const transact = d.nb.transact.bind(d.nb);
    let failed = 0;
    d.nb.transact = (db, operations, opts) => {
      if (!failed && operations.some((o) => o.op === 'update' && o.table === 'NB_Global' && 'sb_cfg' in (o.row ?? {}))) {
        failed++;
        return Promise.reject(new Error('injected NB failure'));
      }
      return transact(db, operations, opts);
    };
    d.start();
    cleanups.push(() => d.stop());
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    await d.whenIdle();
    expect(failed).toBe(1);
    expect(unhandled).toEqual([]);
    await expectConverged(nb, sb);
  });

  it('self-check: a shadow full compile finds no divergence, and reports one when the incremental state is corrupted', async () => {
    const { nb, sb, nbctl } = await env();
    const logs: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
    const d = new Northd({ nbRemote: nb.remote, sbRemote: sb.remote, logger, probeInterval: 1000, selfCheckMs: 100 });
    d.start();
    cleanups.push(() => d.stop());
    await nbctl('ls-add', 'ls1', '--', 'lsp-add', 'ls1', 'p1', '--', 'lsp-set-addresses', 'p1', '00:00:00:00:00:01 10.0.0.1');
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    await waitUntil(async () => d.stats.selfChecks >= 2, 10_000);
    expect(d.stats.selfCheckFailures).toBe(0);

    // Corrupt the incremental state: the compiler forgets a flow the NB still implies.
    const compiler = (d as unknown as { compiler: { run: (i: unknown) => { desired: { flows: { flows: Map<string, unknown> } } } } }).compiler;
    const realRun = compiler.run.bind(compiler);
    compiler.run = (input) => {
      const r = realRun(input);
      const first = r.desired.flows.flows.keys().next().value;
      if (first !== undefined) r.desired.flows.flows.delete(first);
      return r;
    };
    await nbctl('--wait=sb', '--timeout=20', 'lsp-add', 'ls1', 'p2');
    await waitUntil(async () => d.stats.selfCheckFailures >= 1, 10_000);
    expect(logs.some((l) => l.includes('self-check: incremental state differs'))).toBe(true);
    // It recovers by itself: a fresh compiler (not the corrupted one) and the SB converges.
    await waitUntil(async () => d.stats.fullRecomputes >= 2, 10_000);
    await nbctl('--wait=sb', '--timeout=20', 'sync');
    await d.whenIdle();
    await expectConverged(nb, sb);
  });
});
