/**
 * Flow-compile benchmarks: the reference ovn-northd 23.03.1 vs ovn-northd-ts on a generated
 * topology (bench/topology/gen.ts), each on its own private NB/SB ovsdb-servers.
 *
 *   npx tsx bench/northd/run.ts --nodes N [--rounds N] …        (shape ovnk, the default: N = 100)
 *   npx tsx bench/northd/run.ts --scale small|medium|large [--rounds N] …   (switch-only scales)
 *
 * Options:
 *   --nodes N          ovn-kubernetes-shaped topology of N nodes (bench/topology/gen.ts, shape
 *                      ovnk: node switches, cluster router, join switch, a gateway router +
 *                      external switch per node, static routes, policies); with it
 *                      --pods P, --lbs L, --no-policies, and --router-nat-lb (SNAT + LB group on
 *                      the gateway routers: not implemented by ovn-northd-ts yet, so its flows
 *                      are expected to differ)
 *   --rounds N         cold-start rounds per daemon, interleaved (default 3)
 *   --replay-runs N    in-process replay() runs (default 5)
 *   --ops-rounds N     repetitions of each incremental operation (default 3)
 *   --floor-runs N     SB-only restore runs (default 3)
 *   --regen            regenerate the NB snapshot even if bench/out/nb-<scale>.db exists
 *   --no-build         run bin/ovn-northd-ts.js (dist/ as `npm run build` left it) instead of
 *                      compiling src/ into bench/out/dist first (the default, so the daemon
 *                      matches the src/ that replay() runs)
 *   --dist DIR         run a daemon built earlier (DIR/bundle/main.mjs, e.g. from
 *                      `node scripts/bundle.mjs DIR/bundle/main.mjs`) through ts-entry.mjs; no
 *                      build (a fixed build while src/ is being edited)
 *   --profile          one more cold start + operations of ovn-northd-ts under
 *                      `node --cpu-prof`; prints the top self-time functions
 *   --skip-replay      skip (a)
 *   --no-final-check   skip the flow comparison after the incremental operations
 *   --keep             keep the temp dirs (logs)
 *   --compare-rows     compare the SBs' Logical_Flow rows (sb-flow-rows.ts) instead of lflow-list
 *                      (whose text outgrows Node's strings at 500 nodes with --router-nat-lb)
 *
 * Steps (see bench/README.md for the columns):
 *   (a) replay(): in-process compile of the NB snapshot (load + compile), several runs
 *   (b) cold start: NB server from the snapshot + empty SB server; `ovn-nbctl --wait=sb sync`
 *       is started first and has bumped nb_cfg before the daemon is spawned; time = daemon
 *       spawn → that ovn-nbctl exits (NB_Global.sb_cfg caught up). Reference and ours
 *       alternate; the first round's pair is kept for the flow check and the operations.
 *   parity: `ovn-sbctl --dry-run lflow-list` of both SBs through compareLflowLists
 *   (c) incremental operations with `ovn-nbctl --wait=sb --print-wait-time`, alternating sides
 *   (d) VmHWM and utime+stime of both daemons (after the cold start, and at the end);
 *       SB db file size after the cold start (= bytes of the logged transactions) and after
 *       `ovsdb-server/compact`
 *   (e) floor: `ovsdb-client restore` of the reference's SB (backup after its cold start)
 *       into an empty SB ovsdb-server
 * Output: one table on stdout, JSON in bench/out/northd-<scale>.json.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSnapshot, generateOvnkSnapshot, ovnkName, ovnkSnapshotPath, ovnkSpecFromArgs, seedSb, snapshotPath, OUT_DIR, REPO_ROOT, SB_SCHEMA, SCALES, type Scale, type TopologyInfo } from '../topology/gen.js';
import { replay } from '../../src/replay/replay.js';
import { compareLflowLists, formatComparison } from '../../src/sb/lflow-compare.js';
import { compareFlowMultisets, sbFlowMultiset } from './sb-flow-rows.js';
import { opsFor } from './ops.js';
import { CfgWatcher } from './cfg-watcher.js';
import { summarizeProfile, formatSummary, type CpuProfile } from '../client/profile-summary.js';
import { procCpuMs, procStatusKb } from '../lib/proc.js';
import { argv, opt } from './args.js';

const exec = promisify(execFile);

// ------------------------------------------------------------------ args

/** Shape ovnk (--nodes N, the default) or a switch-only scale (--scale small|medium|large). */
const OVNK = argv.includes('--nodes') || !argv.includes('--scale');
const OVNK_SPEC = OVNK ? ovnkSpecFromArgs(argv) : undefined;
const SCALE: string = OVNK_SPEC ? ovnkName(OVNK_SPEC) : opt('--scale', 'small');
if (!OVNK && !SCALES.includes(SCALE as Scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}`);
const ROUNDS = Number(opt('--rounds', '3'));
const REPLAY_RUNS = Number(opt('--replay-runs', '5'));
const OPS_ROUNDS = Number(opt('--ops-rounds', '3'));
const FLOOR_RUNS = Number(opt('--floor-runs', '3'));
const REGEN = argv.includes('--regen');
const DIST = opt('--dist', '');
if (DIST) process.env.OVN_NORTHD_TS_DIST = DIST; // ts-entry.mjs runs it; children inherit the env
const BUILD = !argv.includes('--no-build') && !DIST;
const PROFILE = argv.includes('--profile');
const SKIP_REPLAY = argv.includes('--skip-replay');
const FINAL_CHECK = !argv.includes('--no-final-check');
const KEEP = argv.includes('--keep');
/** Compare the SBs' Logical_Flow rows instead of their lflow-list text (needed at 500 nodes with --router-nat-lb). */
const COMPARE_ROWS = argv.includes('--compare-rows');
const TIMEOUT_S = SCALE === 'large' || (OVNK_SPEC?.nodes ?? 0) >= 200 ? 900 : 300;

const log = (s: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);

// ------------------------------------------------------------------ small helpers

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function sh(cmd: string, args: readonly string[], timeoutMs = TIMEOUT_S * 1000, env?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await exec(cmd, [...args], { timeout: timeoutMs, maxBuffer: 1 << 30, killSignal: 'SIGKILL', ...(env ? { env } : {}) });
  return stdout;
}



export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}
function stat(xs: readonly (number | undefined)[]): Stat | undefined {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

// ------------------------------------------------------------------ servers and daemons

type Kind = 'ref' | 'ts';
const KINDS: readonly Kind[] = ['ref', 'ts'];

interface Proc {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
}

function startProc(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Proc {
  const child = spawn(cmd, [...args], { stdio: 'ignore', ...(env ? { env } : {}) });
  const exited = new Promise<void>((r) => {
    child.once('exit', () => r());
    child.once('error', () => r());
  });
  live.add(child);
  void exited.then(() => live.delete(child));
  return { child, pid: child.pid!, exited };
}
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.on('exit', () => {
  for (const c of live)
    try {
      if (c.pid) process.kill(c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  if (!KEEP) for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGKILL', graceMs = 5000): Promise<void> {
  try {
    process.kill(p.pid, signal);
  } catch {
    return;
  }
  const t = setTimeout(() => {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, graceMs);
  await p.exited;
  clearTimeout(t);
}

async function waitSocket(path: string, proc: Proc, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited (${proc.child.exitCode})`);
    if (Date.now() > deadline) throw new Error(`${what}: no socket ${path} after ${timeoutMs} ms`);
    await sleep(10);
  }
}

interface Server {
  proc: Proc;
  sock: string;
  remote: string;
  ctl: string;
  db: string;
}

async function startServer(dir: string, name: string, dbFile: string): Promise<Server> {
  const sock = join(dir, `${name}.sock`);
  const ctl = join(dir, `${name}.ctl`);
  const proc = startProc('ovsdb-server', ['--no-chdir', `--pidfile=${join(dir, name + '.pid')}`, `--log-file=${join(dir, name + '.log')}`, `--remote=punix:${sock}`, `--unixctl=${ctl}`, '-vconsole:off', dbFile]);
  await waitSocket(sock, proc, `ovsdb-server ${name}`);
  await waitSocket(ctl, proc, `ovsdb-server ${name} unixctl`);
  return { proc, sock, remote: `unix:${sock}`, ctl, db: dbFile };
}

function tsCommand(): { cmd: string; args: string[] } {
  return { cmd: process.execPath, args: [BUILD || DIST ? join(REPO_ROOT, 'bench/northd/ts-entry.mjs') : join(REPO_ROOT, 'bin/ovn-northd-ts.js')] };
}

interface Side {
  kind: Kind;
  dir: string;
  nb: Server;
  sb: Server;
  daemon: Proc;
  ctl: string;
  watch: CfgWatcher;
  /** daemon spawn → NB_Global.sb_cfg caught up (as the watcher saw it) */
  coldMs: number;
  /** daemon spawn → the waiting ovn-nbctl exited */
  coldNbctlMs: number;
  coldCpuMs?: number;
  coldHwmKb?: number;
  sbServerCpuMs?: number;
  sbFileBytes?: number;
}

async function nbCfg(nb: Server): Promise<number> {
  const out = await sh('ovsdb-client', ['transact', nb.remote, JSON.stringify(['OVN_Northbound', { op: 'select', table: 'NB_Global', where: [], columns: ['nb_cfg'] }])], 10_000);
  const rows = (JSON.parse(out) as { rows: { nb_cfg: number }[] }[])[0]!.rows;
  return rows[0]?.nb_cfg ?? 0;
}

/**
 * (b) One cold start: fresh NB (snapshot) + empty SB; ovn-nbctl --wait=sb sync bumps nb_cfg
 * first; then the daemon is spawned and timed until that ovn-nbctl returns.
 */
async function coldStart(kind: Kind, nbSnapshot: string, sbSeedFile: string | undefined, nodeArgs: readonly string[] = []): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), `bn${kind}-`));
  dirs.add(dir);
  copyFileSync(nbSnapshot, join(dir, 'nb.db'));
  await sh('ovsdb-tool', ['create', join(dir, 'sb.db'), SB_SCHEMA]);
  const nb = await startServer(dir, 'nb', join(dir, 'nb.db'));
  const sb = await startServer(dir, 'sb', join(dir, 'sb.db'));
  // The nodes' SB Chassis (ovnk), as ovn-controllers would have registered them.
  if (sbSeedFile) await seedSb(sb.sock, sbSeedFile);
  const watch = await CfgWatcher.open(nb.sock);
  const before = await nbCfg(nb);
  const sync = startProc('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', `--timeout=${TIMEOUT_S}`, 'sync']);
  const deadline = Date.now() + 60_000;
  while ((await nbCfg(nb)) <= before) {
    if (Date.now() > deadline) throw new Error('ovn-nbctl did not bump nb_cfg');
    await sleep(5);
  }
  const ctl = join(dir, 'northd.ctl');
  const common = ['--no-chdir', `--pidfile=${join(dir, 'northd.pid')}`, `--log-file=${join(dir, 'northd.log')}`, `--ovnnb-db=${nb.remote}`, `--ovnsb-db=${sb.remote}`, `--unixctl=${ctl}`, '-vconsole:off'];
  const sbCpu0 = procCpuMs(sb.proc.pid) ?? 0;
  const t0 = performance.now();
  const daemon = kind === 'ref' ? startProc('ovn-northd', common) : startProc(tsCommand().cmd, [...nodeArgs, ...tsCommand().args, ...common]);
  await sync.exited;
  const coldNbctlMs = performance.now() - t0;
  if (sync.child.exitCode !== 0) throw new Error(`${kind}: ovn-nbctl --wait=sb sync failed (exit ${sync.child.exitCode}, daemon exit ${daemon.child.exitCode}); see ${dir}/northd.log`);
  const coldMs = (await watch.sbCfgReached(before + 1, 10_000)) - t0;
  const side: Side = { kind, dir, nb, sb, daemon, ctl, watch, coldMs, coldNbctlMs };
  side.coldCpuMs = procCpuMs(daemon.pid);
  side.coldHwmKb = procStatusKb(daemon.pid, 'VmHWM');
  side.sbServerCpuMs = (procCpuMs(sb.proc.pid) ?? 0) - sbCpu0;
  if (sync.child.exitCode !== 0) throw new Error(`${kind}: ovn-nbctl --wait=sb sync failed (exit ${sync.child.exitCode}); see ${dir}/northd.log`);
  if (daemon.child.exitCode !== null) throw new Error(`${kind}: daemon exited (${daemon.child.exitCode}); see ${dir}/northd.log`);
  side.sbFileBytes = statSync(sb.db).size;
  return side;
}

async function stopSide(s: Side, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  s.watch.close();
  await stopProc(s.daemon, signal, 60_000);
  await Promise.all([stopProc(s.nb.proc), stopProc(s.sb.proc)]);
  if (!KEEP) {
    rmSync(s.dir, { recursive: true, force: true });
    dirs.delete(s.dir);
  }
}

const lflowList = (s: Side): Promise<string> => sh('ovn-sbctl', [`--db=${s.sb.remote}`, '--dry-run', `--timeout=${TIMEOUT_S}`, 'lflow-list']);

async function parity(ref: Side, ts: Side): Promise<{ matched: number; total: number; extra: number; identical: boolean; diff?: string }> {
  if (COMPARE_ROWS) {
    // Row by row (sb-flow-rows.ts): lflow-list's text outgrows Node's strings at this size.
    const [a, b] = await Promise.all([sbFlowMultiset(ref.sb.remote), sbFlowMultiset(ts.sb.remote)]);
    const c = compareFlowMultisets(a, b);
    return { matched: c.matched, total: c.total, extra: c.extra, identical: c.identical, ...(c.identical ? {} : { diff: c.examples.join('\n') }) };
  }
  const [a, b] = await Promise.all([lflowList(ref), lflowList(ts)]);
  const c = compareLflowLists(a, b);
  return { matched: c.matched, total: c.total, extra: c.extra, identical: c.identical, ...(c.identical ? {} : { diff: formatComparison(c, 30) }) };
}

// ------------------------------------------------------------------ (c) incremental operations

interface OpSample {
  /** t(sb_cfg >= N) - t(nb_cfg = N), both seen by our NB_Global monitor */
  completionMs?: number;
  /** what `ovn-nbctl --print-wait-time` printed as "ovn-northd completion" */
  nbctlCompletionMs?: number;
  wallMs: number;
  tsLastSbBytes?: number;
  tsLastCompileMs?: number;
}

async function runOp(side: Side, argsIn: string[], prep?: string[]): Promise<OpSample> {
  if (prep) await sh('ovn-nbctl', [`--db=${side.nb.remote}`, '--wait=sb', `--timeout=${TIMEOUT_S}`, ...prep]);
  let args = argsIn;
  if (args.includes('@LBG@')) {
    // ovn-nbctl does not look Load_Balancer_Group up by name: use its UUID.
    const out = await sh('ovsdb-client', ['transact', side.nb.remote, JSON.stringify(['OVN_Northbound', { op: 'select', table: 'Load_Balancer_Group', where: [], columns: ['_uuid'] }])], 10_000);
    const uuid = (JSON.parse(out) as { rows: { _uuid: [string, string] }[] }[])[0]!.rows[0]!._uuid[1];
    args = args.map((a) => (a === '@LBG@' ? uuid : a));
  }
  const t0 = performance.now();
  const out = await sh('ovn-nbctl', [`--db=${side.nb.remote}`, '--wait=sb', '--print-wait-time', `--timeout=${TIMEOUT_S}`, ...args]);
  const wallMs = performance.now() - t0;
  const m = /ovn-northd completion:\s*(-?\d+)\s*ms/.exec(out);
  const n = /processing nb_cfg (\d+)/.exec(out);
  const s: OpSample = { wallMs, ...(m ? { nbctlCompletionMs: Number(m[1]) } : {}) };
  if (n) {
    const cfg = Number(n[1]);
    const t1 = await side.watch.sbCfgReached(cfg, 10_000);
    const t0 = side.watch.nbCfgAt.get(cfg);
    if (t0 !== undefined) s.completionMs = t1 - t0;
  }
  if (side.kind === 'ts') {
    try {
      const st = await sh('ovn-appctl', ['-t', side.ctl, 'inc-engine/show-stats'], 10_000);
      // The operation's own SB transaction (a run after it that writes nothing keeps it).
      const b = /last SB transaction: \d+ ops, (\d+) bytes/.exec(st);
      const c = /last compile:\s*([\d.]+)/.exec(st);
      if (b) s.tsLastSbBytes = Number(b[1]);
      if (c) s.tsLastCompileMs = Number(c[1]);
    } catch {
      /* no stats */
    }
  }
  return s;
}

// ------------------------------------------------------------------ (e) floor

async function floorRun(sbBackup: string): Promise<{ ms: number; serverCpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bnfl-'));
  dirs.add(dir);
  await sh('ovsdb-tool', ['create', join(dir, 'sb.db'), SB_SCHEMA]);
  const sb = await startServer(dir, 'sb', join(dir, 'sb.db'));
  try {
    const cpu0 = procCpuMs(sb.proc.pid) ?? 0;
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      // restore seeks in its input: give it the file itself as stdin.
      const fd = openSync(sbBackup, 'r');
      const p = spawn('ovsdb-client', ['restore', sb.remote, 'OVN_Southbound'], { stdio: [fd, 'ignore', 'pipe'] });
      closeSync(fd);
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      p.once('exit', (c) => (c === 0 ? resolve() : reject(new Error(`ovsdb-client restore: exit ${c}: ${err}`))));
    });
    return { ms: performance.now() - t0, serverCpuMs: (procCpuMs(sb.proc.pid) ?? 0) - cpu0 };
  } finally {
    await stopProc(sb.proc);
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  }
}

// ------------------------------------------------------------------ table

const fmtMs = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const fmtStat = (s: Stat | undefined, f: (x: number) => string = fmtMs): string => (s ? (s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median)) : '—');
const fmtX = (x: number): string => `${x.toFixed(2)}×`;
const fmtMb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
const fmtBytes = (b: number): string => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, j) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ') + (j === 0 ? '\n' + w.map((n) => '-'.repeat(n)).join('  ') : '')).join('\n');
}

/**
 * The goals at the ovnk shape: every operation ≤ 0.02× the reference; a bare sync and an
 * address-set change at most a median of 2 ms; cold start ≤ 0.8×; peak RSS at the end ≤ 1.0×
 * (the RSS goal is stated at 500 nodes; printed at every size).
 */
function goalLines(ops: Record<string, Record<Kind, OpSample[]>>, coldRatio: Stat | undefined, fr: Record<Kind, { hwmKb?: number }> | undefined, nodes: number): { goal: string; value: string; met: boolean }[] {
  const out: { goal: string; value: string; met: boolean }[] = [];
  for (const [name, rec] of Object.entries(ops)) {
    const a = stat(rec.ref.map((s) => s.completionMs));
    const b = stat(rec.ts.map((s) => s.completionMs));
    if (!a || !b) continue;
    const r = b.median / a.median;
    out.push({ goal: `${name} ≤ 0.02× the reference`, value: `${r.toFixed(3)}× (${fmtMs(b.median)} vs ${fmtMs(a.median)})`, met: r <= 0.02 });
    if (name === 'bare sync' || name.includes('address set')) out.push({ goal: `${name}: median ≤ 2 ms`, value: fmtMs(b.median), met: b.median <= 2 });
  }
  if (coldRatio) out.push({ goal: 'cold start ≤ 0.8×', value: fmtX(coldRatio.median), met: coldRatio.median <= 0.8 });
  if (fr?.ref.hwmKb && fr.ts.hwmKb) {
    const r = fr.ts.hwmKb / fr.ref.hwmKb;
    out.push({ goal: `peak RSS at the end ≤ 1.0×${nodes === 500 ? '' : ' (stated at 500 nodes)'}`, value: fmtX(r), met: r <= 1 });
  }
  return out;
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const started = Date.now();
  const result: Record<string, unknown> = { scale: SCALE, date: new Date().toISOString(), loadavgStart: loadavg(), rounds: ROUNDS };

  // Topology.
  const nbFile = OVNK_SPEC ? ovnkSnapshotPath(OVNK_SPEC) : snapshotPath(SCALE as Scale, true);
  let info: TopologyInfo;
  if (REGEN || !existsSync(nbFile) || !existsSync(nbFile + '.json') || (OVNK_SPEC && !existsSync(nbFile + '.sb-seed.json'))) {
    log(`generating ${SCALE} topology`);
    info = OVNK_SPEC ? await generateOvnkSnapshot(OVNK_SPEC, nbFile) : await generateSnapshot(SCALE as Scale, true, nbFile);
  } else info = JSON.parse(readFileSync(nbFile + '.json', 'utf8')) as TopologyInfo;
  const sbSeed = info.sbSeedFile;
  const OPS = opsFor(info);
  result.topology = { file: nbFile, shape: info.shape ?? 'switches', counts: info.counts, leftOut: info.leftOut, notImplemented: info.notImplemented ?? [], included: info.included ?? [], ...(OVNK_SPEC ? { spec: OVNK_SPEC } : {}) };

  if (BUILD) {
    log('building src/ into bench/out/dist');
    await sh('npx', ['tsc', '-p', join(REPO_ROOT, 'tsconfig.json'), '--outDir', join(OUT_DIR, 'dist')], 300_000);
    // And bundled, as `npm run build` ships it (bin/ovn-northd-ts.js prefers the bundle).
    await sh(process.execPath, [join(REPO_ROOT, 'scripts/bundle.mjs'), join(OUT_DIR, 'dist/bundle/main.mjs')], 300_000);
  }
  const [refVersion] = (await sh('ovn-northd', ['--version'])).split('\n');
  result.versions = { ref: refVersion, ts: (await sh(tsCommand().cmd, [...tsCommand().args, '--version'])).split('\n')[0], node: process.version };

  // (a) replay
  if (!SKIP_REPLAY) {
    const times: number[] = [];
    let flows = 0;
    for (let i = 0; i < REPLAY_RUNS; i++) {
      const t0 = performance.now();
      const d = replay(nbFile);
      times.push(performance.now() - t0);
      flows = d.flows.size;
      log(`replay ${i + 1}/${REPLAY_RUNS}: ${fmtMs(times[times.length - 1]!)} (${flows} merged flows)`);
    }
    result.replay = { ms: stat(times), firstMs: times[0], samples: times, mergedFlows: flows };
  }

  // (b) cold starts (first pair kept for parity, ops, resources, floor backup)
  const cold: Record<Kind, Side[]> = { ref: [], ts: [] };
  const coldRec: Record<Kind, { ms: number; nbctlMs: number; cpuMs?: number; hwmKb?: number; sbServerCpuMs?: number; sbFileBytes?: number }[]> = { ref: [], ts: [] };
  let kept: Record<Kind, Side> | undefined;
  const pairRatios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order: Kind[] = r % 2 === 0 ? ['ref', 'ts'] : ['ts', 'ref'];
    const pair: Partial<Record<Kind, Side>> = {};
    for (const k of order) {
      const s = await coldStart(k, nbFile, sbSeed);
      pair[k] = s;
      coldRec[k].push({ ms: s.coldMs, nbctlMs: s.coldNbctlMs, cpuMs: s.coldCpuMs, hwmKb: s.coldHwmKb, sbServerCpuMs: s.sbServerCpuMs, sbFileBytes: s.sbFileBytes });
      cold[k].push(s);
      log(`cold start ${r + 1}/${ROUNDS} ${k}: ${fmtMs(s.coldMs)} (cpu ${s.coldCpuMs} ms, VmHWM ${fmtMb(s.coldHwmKb ?? 0)}, SB server cpu ${s.sbServerCpuMs} ms)`);
      // Only one pair of daemons alive at a time besides the kept one: stop this one unless kept.
      if (r > 0) await stopSide(s);
    }
    pairRatios.push(pair.ts!.coldMs / pair.ref!.coldMs);
    if (r === 0) {
      kept = pair as Record<Kind, Side>;
      // Flows must match before any time is quoted.
      log('comparing lflow-list of both SBs');
      const p = await parity(kept.ref, kept.ts);
      result.parity = p;
      log(`flows matched ${p.matched}/${p.total}, extra ${p.extra}${p.identical ? ' (identical)' : ''}`);
      if (p.diff) log(p.diff);
      // SB sizes and the floor's input.
      const sbBackup = join(kept.ref.dir, 'sb-backup.db');
      writeFileSync(sbBackup, await sh('ovsdb-client', ['backup', kept.ref.sb.remote, 'OVN_Southbound']));
      result.sbBackupBytes = statSync(sbBackup).size;
      for (const k of KINDS) {
        const st = await sh('ovn-appctl', ['-t', kept[k].sb.ctl, 'ovsdb-server/compact']).catch(() => '');
        void st;
        (result as Record<string, unknown>)[`sbCompactedBytes_${k}`] = statSync(kept[k].sb.db).size;
      }
      try {
        result.tsColdStats = await sh('ovn-appctl', ['-t', kept.ts.ctl, 'inc-engine/show-stats'], 10_000);
      } catch {
        /* none */
      }
      // (c) incremental operations
      const ops: Record<string, Record<Kind, OpSample[]>> = {};
      for (let k = 0; k < OPS_ROUNDS; k++) {
        for (const op of OPS) {
          const rec = (ops[op.name] ??= { ref: [], ts: [] });
          const o2: Kind[] = (k + OPS.indexOf(op)) % 2 === 0 ? ['ref', 'ts'] : ['ts', 'ref'];
          for (const kind of o2) rec[kind].push(await runOp(kept[kind], op.args(k, info), op.prep?.(k, info)));
          const f = (x: OpSample): string => `${x.completionMs?.toFixed(1)} ms (nbctl says ${x.nbctlCompletionMs} ms, wall ${x.wallMs.toFixed(0)} ms)`;
          log(`op ${k + 1}/${OPS_ROUNDS} ${op.name}: ref ${f(rec.ref.at(-1)!)}, ts ${f(rec.ts.at(-1)!)}`);
        }
      }
      result.ops = ops;
      if (FINAL_CHECK) {
        const p2 = await parity(kept.ref, kept.ts);
        result.parityAfterOps = p2;
        log(`after the operations: flows matched ${p2.matched}/${p2.total}, extra ${p2.extra}`);
        if (p2.diff) log(p2.diff);
      }
      // (d) resources at the end
      result.finalResources = Object.fromEntries(KINDS.map((k) => [k, { hwmKb: procStatusKb(kept![k].daemon.pid, 'VmHWM'), cpuMs: procCpuMs(kept![k].daemon.pid) }]));
      // (e) floor
      const floors: { ms: number; serverCpuMs: number }[] = [];
      for (let i = 0; i < FLOOR_RUNS; i++) floors.push(await floorRun(sbBackup));
      result.floor = { ms: stat(floors.map((f) => f.ms)), serverCpuMs: stat(floors.map((f) => f.serverCpuMs)), samples: floors };
      log(`floor (ovsdb-client restore of the reference SB): ${fmtStat(stat(floors.map((f) => f.ms)))}`);
      for (const k of KINDS) await stopSide(kept[k]);
    }
  }
  result.cold = coldRec;
  result.coldPairRatios = pairRatios;

  // Profile
  if (PROFILE) {
    const profDir = join(OUT_DIR, `prof-${SCALE}`);
    rmSync(profDir, { recursive: true, force: true });
    mkdirSync(profDir, { recursive: true });
    // (node 20 refuses --cpu-prof in NODE_OPTIONS: pass it on the command line)
    const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
    log('profiling ovn-northd-ts: cold start + one round of operations');
    const s = await coldStart('ts', nbFile, sbSeed, nodeArgs);
    const profCold = s.coldMs;
    for (const op of OPS) await runOp(s, op.args(OPS_ROUNDS + 1, info), op.prep?.(OPS_ROUNDS + 1, info));
    await stopSide(s, 'SIGTERM');
    const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    const summaries = files.map((f) => summarizeProfile(JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile)).sort((a, b) => b.totalMs - a.totalMs);
    if (summaries[0]) {
      result.profile = { coldMs: profCold, dir: profDir, totalMs: summaries[0].totalMs, top: summaries[0].functions.slice(0, 30), files: summaries[0].files.slice(0, 15) };
      console.log(`\nprofile (ovn-northd-ts cold start ${fmtMs(profCold)} under --cpu-prof, then the ${OPS.length} operations once):\n` + formatSummary(summaries[0], 25));
    }
  }

  // ------------------------------------------------------------------ report
  const rows: string[][] = [['metric', 'reference ovn-northd', 'ovn-northd-ts', 'ours/ref']];
  const ratio = (a?: Stat, b?: Stat): string => (a && b && a.median > 0 ? fmtX(b.median / a.median) : '—');
  const cs = (k: Kind) => stat(coldRec[k].map((c) => c.ms));
  const pr = stat(pairRatios);
  rows.push([`cold start (spawn → sb_cfg), n=${ROUNDS}`, fmtStat(cs('ref')), fmtStat(cs('ts')), pr ? `${fmtX(pr.median)} (${fmtX(pr.min)}–${fmtX(pr.max)})` : '—']);
  const cc = (k: Kind) => stat(coldRec[k].map((c) => c.cpuMs));
  rows.push(['  daemon CPU at cold start', fmtStat(cc('ref')), fmtStat(cc('ts')), ratio(cc('ref'), cc('ts'))]);
  const sc = (k: Kind) => stat(coldRec[k].map((c) => c.sbServerCpuMs));
  rows.push(['  SB ovsdb-server CPU during it', fmtStat(sc('ref')), fmtStat(sc('ts')), ratio(sc('ref'), sc('ts'))]);
  const hw = (k: Kind) => stat(coldRec[k].map((c) => c.hwmKb));
  rows.push(['  peak RSS after cold start', fmtStat(hw('ref'), fmtMb), fmtStat(hw('ts'), fmtMb), ratio(hw('ref'), hw('ts'))]);
  const sbb = (k: Kind) => stat(coldRec[k].map((c) => c.sbFileBytes));
  rows.push(['  SB db file after cold start', fmtStat(sbb('ref'), fmtBytes), fmtStat(sbb('ts'), fmtBytes), ratio(sbb('ref'), sbb('ts'))]);
  const r2 = result as Record<string, number>;
  rows.push(['  SB db file after compaction', fmtBytes(r2.sbCompactedBytes_ref ?? 0), fmtBytes(r2.sbCompactedBytes_ts ?? 0), '']);
  const ops = (result.ops ?? {}) as Record<string, Record<Kind, OpSample[]>>;
  for (const [name, rec] of Object.entries(ops)) {
    const a = stat(rec.ref.map((s) => s.completionMs));
    const b = stat(rec.ts.map((s) => s.completionMs));
    const sbBytes = stat(rec.ts.map((s) => s.tsLastSbBytes));
    rows.push([`op: ${name} (n=${a?.n ?? 0})`, fmtStat(a), fmtStat(b) + (sbBytes ? ` [SB ${fmtBytes(sbBytes.median)}]` : ''), ratio(a, b)]);
  }
  const fr = result.finalResources as Record<Kind, { hwmKb?: number; cpuMs?: number }> | undefined;
  if (fr) {
    rows.push(['peak RSS at the end', fmtMb(fr.ref.hwmKb ?? 0), fmtMb(fr.ts.hwmKb ?? 0), fr.ref.hwmKb ? fmtX((fr.ts.hwmKb ?? 0) / fr.ref.hwmKb) : '—']);
    rows.push(['CPU time at the end (cold + ops)', fmtMs(fr.ref.cpuMs ?? 0), fmtMs(fr.ts.cpuMs ?? 0), fr.ref.cpuMs ? fmtX((fr.ts.cpuMs ?? 0) / fr.ref.cpuMs) : '—']);
  }
  const rp = result.replay as { ms: Stat; firstMs: number } | undefined;
  const fl = result.floor as { ms: Stat } | undefined;
  const p = result.parity as { matched: number; total: number; extra: number } | undefined;
  const p2 = result.parityAfterOps as { matched: number; total: number; extra: number } | undefined;
  const c = info.counts;
  if (info.shape === 'ovnk')
    console.log(
      `\n## ${SCALE} (ovn-kubernetes shape): ${c['node switches']} node switches × ${OVNK_SPEC?.podsPerNode} pods = ${c['pod ports']} pods (+ ${c['management ports']} management ports), ` +
        `${c['cluster routers']} cluster router, join switch, ${c['gateway routers']} gateway routers + ${c['external switches']} external switches with localnet ports, ` +
        `${c['router ports']} router ports, ${c['static routes']} static routes, ${c['router policies'] ?? 0} router policies, ${c['NAT rules'] ?? 0} NAT rules, ${c['SB chassis']} SB chassis; ` +
        `${c['load balancers']} LBs / ${c['VIPs']} VIPs (${c['VIPs without backends'] ?? 0} empty) in clusterLBGroup, ${c['port groups']} port groups, ${c['ACLs']} ACLs, ${c['address sets']} address sets`,
    );
  else
    console.log(`\n## ${SCALE}: ${c['logical switches']} switches, ${c['logical switch ports']} ports, ${c['load balancers']} LBs / ${c['VIPs']} VIPs (${c['VIPs without backends'] ?? 0} empty), ${c['port groups']} port groups, ${c['ACLs']} ACLs, ${c['address sets']} address sets`);
  for (const l of info.leftOut) console.log(`left out: ${l}`);
  for (const l of info.included ?? []) console.log(`included: ${l}`);
  for (const l of info.notImplemented ?? []) console.log(`included but not implemented by ovn-northd-ts yet (its flows are expected to be missing; times not comparable): ${l}`);
  if (p) console.log(`flows matched after cold start: ${p.matched}/${p.total} (extra ${p.extra})` + (p2 ? `; after the operations: ${p2.matched}/${p2.total} (extra ${p2.extra})` : ''));
  if (rp) console.log(`(a) replay() in-process (load + compile): ${fmtStat(rp.ms)}, first run ${fmtMs(rp.firstMs)}, n=${REPLAY_RUNS}`);
  if (fl) console.log(`(e) floor: ovsdb-client restore of the reference SB (${fmtBytes(r2.sbBackupBytes ?? 0)}) into an empty SB server: ${fmtStat(fl.ms)}`);
  console.log(table(rows));
  if (info.shape === 'ovnk') {
    const goals = goalLines(ops, pr, fr, OVNK_SPEC!.nodes);
    result.goals = goals;
    console.log('\ngoals (this issue):\n' + goals.map((g) => `  ${g.met ? 'met   ' : 'MISSED'}  ${g.goal}: ${g.value}`).join('\n'));
  }
  result.elapsedS = (Date.now() - started) / 1000;
  result.loadavgEnd = loadavg();
  mkdirSync(OUT_DIR, { recursive: true });
  const outFile = join(OUT_DIR, `northd-${SCALE}.json`);
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nJSON: ${outFile} (${result.elapsedS} s)`);
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error((e as Error)?.stack ?? String(e));
    process.exit(1);
  });
