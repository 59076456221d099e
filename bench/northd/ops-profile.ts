/**
 * Where the time of one incremental operation goes, in-process: real NB/SB
 * ovsdb-servers (NB from bench/out/nb-<scale>.db, made by run.ts), the
 * Northd class in this process, then each operation of run.ts's list done
 * with `ovn-nbctl --wait=sb --print-wait-time`. Prints, per operation, the
 * wall time, what ovn-nbctl reports as northd completion, and the daemon's
 * phases of that run (lspUp, compile, flowIndex, sbDiff, sbCommit, …);
 * with --profile, also the top self-time functions over the operations only
 * (the cold start is not profiled).
 *
 *   npx tsx bench/northd/ops-profile.ts --scale large [--rounds 3] [--profile]
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Northd } from '../../src/daemon/northd.js';
import { startOvsdbServer, type OvsdbServer } from '../../test/helpers/ovsdb-server.js';
import { summarizeProfile, formatSummary, type CpuProfile } from '../client/profile-summary.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const SCALE = opt('--scale', 'medium');
const ROUNDS = Number(opt('--rounds', '3'));
const PROFILE = argv.includes('--profile');

function sh(cmd: string, args: readonly string[], timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 1 << 28 }, (err, out, errOut) => (err ? reject(new Error(`${cmd}: ${err.message}\n${errOut}`)) : resolve(out)));
  });
}

async function firstUuid(nb: OvsdbServer, table: string, where: unknown[] = []): Promise<string | undefined> {
  const out = await sh('ovsdb-client', ['transact', nb.remote, JSON.stringify(['OVN_Northbound', { op: 'select', table, where, columns: ['_uuid', 'name'] }])]);
  const rows = (JSON.parse(out) as { rows: { _uuid: [string, string]; name: string }[] }[])[0]!.rows;
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return rows[0]?._uuid[1];
}

async function names(nb: OvsdbServer): Promise<{ switch0: string; lb0: string; lbGroup?: string; portGroup0: string; addressSet0: string }> {
  const q = async (table: string): Promise<string> => {
    const out = await sh('ovsdb-client', ['transact', nb.remote, JSON.stringify(['OVN_Northbound', { op: 'select', table, where: [], columns: ['name'] }])]);
    const n = (JSON.parse(out) as { rows: { name: string }[] }[])[0]!.rows.map((r) => r.name).sort();
    return n[0]!;
  };
  const lbGroup = await firstUuid(nb, 'Load_Balancer_Group');
  return { switch0: await q('Logical_Switch'), lb0: await q('Load_Balancer'), portGroup0: await q('Port_Group'), addressSet0: await q('Address_Set'), ...(lbGroup ? { lbGroup } : {}) };
}

const OPS: { name: string; args: (k: number, n: Awaited<ReturnType<typeof names>>) => string[] }[] = [
  { name: 'add port', args: (k, n) => ['lsp-add', n.switch0, `bench-p${k}`, '--', 'lsp-set-addresses', `bench-p${k}`, `0a:58:0a:c8:00:${(k + 2).toString(16).padStart(2, '0')} 10.200.0.${k + 2}`] },
  { name: 'delete port', args: (k) => ['lsp-del', `bench-p${k}`] },
  { name: 'add VIP', args: (k, n) => ['set', 'Load_Balancer', n.lb0, `vips:"172.31.0.${k + 1}:80"="10.128.0.2:8080,10.128.0.3:8080,10.128.0.4:8080"`] },
  { name: 'VIP → no backends', args: (k, n) => ['set', 'Load_Balancer', n.lb0, `vips:"172.31.0.${k + 1}:80"=""`] },
  {
    name: 'add switch + port',
    args: (k, n) => [
      'ls-add', `bench-ls${k}`,
      '--', 'lsp-add', `bench-ls${k}`, `bench-ls${k}-p0`,
      '--', 'lsp-set-addresses', `bench-ls${k}-p0`, `0a:58:0a:c9:00:${(k + 2).toString(16).padStart(2, '0')} 10.201.0.${k + 2}`,
      ...(n.lbGroup ? ['--', 'add', 'Logical_Switch', `bench-ls${k}`, 'load_balancer_group', n.lbGroup] : []),
    ],
  },
  { name: 'add ACL to port group', args: (k, n) => ['acl-add', n.portGroup0, 'to-lport', String(1100 + k), `outport == @${n.portGroup0} && tcp.dst == ${9000 + k}`, 'allow-related'] },
  { name: 'add address to address set', args: (k, n) => ['add', 'Address_Set', n.addressSet0, 'addresses', `10.202.0.${k + 1}`] },
];

async function main(): Promise<void> {
  const snapshot = join(REPO, `bench/out/nb-${SCALE}.db`);
  if (!existsSync(snapshot)) throw new Error(`${snapshot} missing: run bench/northd/run.ts --scale ${SCALE} once first`);
  const dir = mkdtempSync(join(tmpdir(), 'bop-'));
  copyFileSync(snapshot, join(dir, 'nb.db'));
  const nb = await startOvsdbServer({ dbFile: join(dir, "nb.db"), dir, name: "nb", startTimeoutMs: 60_000 });
  const sb = await startOvsdbServer({ schema: join(REPO, 'schemas/ovn-sb.ovsschema'), dir, name: 'sb' });
  const northd = new Northd({ nbRemote: nb.remote, sbRemote: sb.remote, logger: pino({ level: 'silent' }), probeInterval: 0 });
  try {
    const t0 = performance.now();
    northd.start();
    await sh('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=600', 'sync']);
    console.log(`cold start (in-process): ${(performance.now() - t0).toFixed(0)} ms; phases: ${fmtPhases(northd.stats.lastPhases)}`);
    const n = await names(nb);
    const session = new Session();
    if (PROFILE) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    for (let k = 0; k < ROUNDS; k++) {
      for (const op of OPS) {
        const runs0 = northd.stats.runs;
        const t = performance.now();
        const out = await sh('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--print-wait-time', '--timeout=600', ...op.args(k, n)]);
        const wall = performance.now() - t;
        const m = /ovn-northd completion:\s*(-?\d+)\s*ms/.exec(out);
        const c = northd.stats.lastCompile;
        console.log(
          `${op.name.padEnd(28)} wall ${wall.toFixed(0).padStart(5)} ms, northd ${m?.[1] ?? '?'} ms, runs ${northd.stats.runs - runs0}, ` +
            `units ${c?.switchUnitsRecomputed}/${c?.lbUnitsRecomputed}, flows ${c?.flowsChanged}, SB ops ${northd.stats.lastSbOps} | ${fmtPhases(northd.stats.lastPhases)}` +
            (c ? ` | compile: topo ${c.ms.topology.toFixed(1)} bind ${c.ms.bindings.toFixed(1)} lbs ${c.ms.lbs.toFixed(1)} units ${c.ms.units.toFixed(1)} merge ${c.ms.merge.toFixed(1)}` : ''),
        );
      }
    }
    if (PROFILE) {
      const { profile } = await session.post('Profiler.stop');
      const file = join(dir, 'ops.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      console.log('\n' + formatSummary(summarizeProfile(profile as unknown as CpuProfile), 30));
    }
  } finally {
    await northd.stop();
    await nb.stop();
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function fmtPhases(p: Record<string, number>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');
}

await main();
process.exit(0);
