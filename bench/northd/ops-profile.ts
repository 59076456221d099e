/**
 * Where the time of one incremental operation goes, in-process: real NB/SB
 * ovsdb-servers (NB from bench/out/nb-<scale>.db, made by run.ts), the
 * Northd class in this process, then each operation of run.ts's list done
 * with `ovn-nbctl --wait=sb --print-wait-time`. Prints, per operation, the
 * wall time, what ovn-nbctl reports as northd completion, and the daemon's
 * phases of that run (lspUp, compile, flowIndex, sbDiff, sbCommit, …);
 * with --profile, also the top self-time functions over the operations only
 * (the cold start is not profiled; --profile-cold profiles it alone).
 *
 *   npx tsx bench/northd/ops-profile.ts --scale large [--rounds 3] [--profile [--save FILE.cpuprofile]]
 *   npx tsx bench/northd/ops-profile.ts --nodes 500 …   (bench/out/nb-ovnk500.db; its SB seed is inserted first)
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Northd } from '../../src/daemon/northd.js';
import { startOvsdbServer, type OvsdbServer } from '../../test/helpers/ovsdb-server.js';
import { ovnkName, ovnkSpecFromArgs, seedSb, type TopologyInfo } from '../topology/gen.js';
import { opsFor } from './ops.js';
import { summarizeProfile, formatSummary, type CpuProfile } from '../client/profile-summary.js';
import { argv, opt } from './args.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCALE = argv.includes('--nodes') ? ovnkName(ovnkSpecFromArgs(argv)) : opt('--scale', 'medium');
const ROUNDS = Number(opt('--rounds', '3'));
const PROFILE = argv.includes('--profile');
const PROFILE_COLD = argv.includes('--profile-cold');
/** Only the operations whose name contains this text (e.g. --only switch). */
const ONLY = opt('--only', '');

function sh(cmd: string, args: readonly string[], timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 1 << 28 }, (err, out, errOut) => (err ? reject(new Error(`${cmd}: ${err.message}\n${errOut}`)) : resolve(out)));
  });
}

/** The Load_Balancer_Group's UUID, for the '@LBG@' placeholder of the operations. */
async function lbGroupUuid(nb: OvsdbServer): Promise<string | undefined> {
  const out = await sh('ovsdb-client', ['transact', nb.remote, JSON.stringify(['OVN_Northbound', { op: 'select', table: 'Load_Balancer_Group', where: [], columns: ['_uuid'] }])]);
  return (JSON.parse(out) as { rows: { _uuid: [string, string] }[] }[])[0]!.rows[0]?._uuid[1];
}

async function main(): Promise<void> {
  const snapshot = join(REPO, `bench/out/nb-${SCALE}.db`);
  if (!existsSync(snapshot)) throw new Error(`${snapshot} missing: run bench/northd/run.ts --scale ${SCALE} once first`);
  const dir = mkdtempSync(join(tmpdir(), 'bop-'));
  copyFileSync(snapshot, join(dir, 'nb.db'));
  const nb = await startOvsdbServer({ dbFile: join(dir, "nb.db"), dir, name: "nb", startTimeoutMs: 60_000 });
  const sb = await startOvsdbServer({ schema: join(REPO, 'schemas/ovn-sb.ovsschema'), dir, name: 'sb' });
  if (existsSync(snapshot + '.sb-seed.json')) await seedSb(sb.remote.replace(/^unix:/, ''), snapshot + '.sb-seed.json');
  const northd = new Northd({ nbRemote: nb.remote, sbRemote: sb.remote, logger: pino({ level: 'silent' }), probeInterval: 0 });
  try {
    const cold = new Session();
    if (PROFILE_COLD) {
      cold.connect();
      await cold.post('Profiler.enable');
      await cold.post('Profiler.start');
    }
    const t0 = performance.now();
    northd.start();
    await sh('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=600', 'sync']);
    console.log(`cold start (in-process): ${(performance.now() - t0).toFixed(0)} ms; phases: ${fmtPhases(northd.stats.lastPhases)}`);
    (globalThis as { gc?: () => void }).gc?.();
    const mu = process.memoryUsage();
    console.log(`memory after cold start: heap used ${(mu.heapUsed / 1e6).toFixed(0)} MB, external ${(mu.external / 1e6).toFixed(0)} MB, rss ${(mu.rss / 1e6).toFixed(0)} MB (run with node --expose-gc for a collected heap)`);
    if (PROFILE_COLD) {
      const { profile } = await cold.post('Profiler.stop');
      console.log('\ncold start profile:\n' + formatSummary(summarizeProfile(profile as unknown as CpuProfile), 40));
      cold.disconnect();
    }
    const info = JSON.parse(readFileSync(snapshot + '.json', 'utf8')) as TopologyInfo;
    const lbg = await lbGroupUuid(nb);
    const session = new Session();
    if (PROFILE) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    for (let k = 0; k < ROUNDS; k++) {
      for (const op of opsFor(info).filter((o) => o.name.includes(ONLY))) {
        const prep = op.prep?.(k, info);
        if (prep) await sh('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=600', ...prep]);
        await northd.whenIdle();
        const runs0 = northd.stats.runs;
        const t = performance.now();
        const out = await sh('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--print-wait-time', '--timeout=600', ...op.args(k, info).map((a) => (a === '@LBG@' ? lbg ?? a : a))]);
        const wall = performance.now() - t;
        const m = /ovn-northd completion:\s*(-?\d+)\s*ms/.exec(out);
        // Runs that follow the one ovn-nbctl waited for (e.g. after a new datapath) count too.
        await northd.whenIdle();
        const n = northd.stats.runs - runs0;
        const runs = northd.stats.recent.slice(-Math.min(n, northd.stats.recent.length));
        console.log(`${op.name.padEnd(28)} wall ${wall.toFixed(0).padStart(5)} ms, northd ${m?.[1] ?? '?'} ms, runs ${n}`);
        for (const r of runs) {
          const c = r.compile;
          console.log(
            `    units ${c?.switchUnitsRecomputed}/${c?.lbUnitsRecomputed}, flows ${c?.flowsChanged}, SB ops ${r.sbOps} | ${fmtPhases(r.phases)}` +
              (c ? ` | compile: topo ${c.ms.topology.toFixed(1)} bind ${c.ms.bindings.toFixed(1)} lbs ${c.ms.lbs.toFixed(1)} units ${c.ms.units.toFixed(1)} merge ${c.ms.merge.toFixed(1)}` : ''),
          );
        }
      }
    }
    if (PROFILE) {
      const { profile } = await session.post('Profiler.stop');
      const file = opt('--save', '') || join(dir, 'ops.cpuprofile');
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
