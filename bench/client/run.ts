/**
 * Benchmark: initial monitor of a large OVN_Southbound (N Logical_Flow rows)
 * with our client (OvsdbSession + createReplica) vs the C `ovsdb-client`,
 * on the same ovsdb-server and data, in interleaved rounds.
 *
 *   npx tsx bench/client/run.ts --rows 200000 --rounds 5
 *
 * Options:
 *   --rows N          Logical_Flow rows (default 200000; db cached in bench/out/)
 *   --rounds R        measured rounds (default 5)
 *   --warmup W        unmeasured rounds first (default 1)
 *   --c-formats LIST  ovsdb-client --format values for the monitor runs (default table,json)
 *   --no-all          skip the all-tables variants
 *   --no-dump         skip `ovsdb-client dump`
 *   --probe-ms MS     our session's probeInterval (default 0 = off, like ovsdb-client)
 *   --profile         after the rounds, run our client once more under
 *                     `node --cpu-prof` and print the top self-time functions
 *   --keep            keep the temporary directory (server log)
 *
 * Variants (each a fresh process per run):
 *   C  monitor lflow  ovsdb-client --format=F --detach monitor SOCK OVN_Southbound Logical_Flow >/dev/null
 *                     timed from spawn until the foreground process exits, which
 *                     ovsdb-client does right after printing the initial contents
 *                     (--detach); peak RSS = VmHWM of the detached daemon then.
 *   C  dump lflow     /usr/bin/time ovsdb-client dump SOCK OVN_Southbound Logical_Flow >/dev/null
 *   C  monitor all    as monitor lflow with table ALL
 *   ours lflow / all  node --import tsx bench/client/our-client.ts: connect → replica
 *                     snapshot ready (in-process), peak RSS = resourceUsage().maxRSS
 * For every run the client's CPU time (user+sys) and ovsdb-server's CPU time
 * during the run are recorded too: on a shared machine CPU time is steadier
 * than wall time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, openSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureSb, OUT_DIR, REPO_ROOT } from './gen-sb.js';
import { summarizeProfile, formatSummary } from './profile-summary.js';
import { procCpuMs, procStatusKb } from '../lib/proc.js';

// ------------------------------------------------------------------ args

const argv = process.argv.slice(2);
function opt(name: string, def: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
}
const ROWS = Number(opt('--rows', '200000'));
const ROUNDS = Number(opt('--rounds', '5'));
const WARMUP = Number(opt('--warmup', '1'));
const C_FORMATS = opt('--c-formats', 'table,json').split(',').filter(Boolean);
const WITH_ALL = !argv.includes('--no-all');
const WITH_DUMP = !argv.includes('--no-dump');
const PROBE_MS = opt('--probe-ms', '0');
const PROFILE = argv.includes('--profile');
const KEEP = argv.includes('--keep');
const RUN_TIMEOUT_MS = Number(opt('--run-timeout-ms', '900000'));

const log = (s: string): void => void process.stderr.write(s + '\n');

// ------------------------------------------------------------------ helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}



function processGone(pid: number): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!processGone(pid)) {
    if (Date.now() > end) throw new Error(`process ${pid} did not exit`);
    await sleep(20);
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  stdout: string;
  stderr: string;
}

/** Spawn and wait for exit; wall time from spawn to exit. */
function runProcess(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; captureStdout: boolean; timeoutMs: number; stderrFile?: string },
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    // A detached ovsdb-client daemon keeps the fds it inherited: give it
    // files, not pipes, or the pipes never close.
    const errFd = opts.stderrFile !== undefined ? openSync(opts.stderrFile, 'w') : undefined;
    const t0 = performance.now();
    const child: ChildProcess = spawn(cmd, args, {
      cwd: REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', opts.captureStdout ? 'pipe' : 'ignore', errFd ?? 'pipe'],
    });
    if (errFd !== undefined) closeSync(errFd);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d.length > 20000 ? d.slice(0, 20000) : d));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      const done = (): void => {
        if (opts.stderrFile !== undefined) stderr = readFileSync(opts.stderrFile, 'utf8');
        resolve({ code, signal, wallMs, stdout, stderr });
      };
      // Let the pipes drain.
      if (child.stdout || child.stderr) child.on('close', done);
      else done();
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

// ------------------------------------------------------------------ server

interface Server {
  pid: number;
  sock: string;
  dir: string;
  child: ChildProcess;
  loadMs: number;
}

async function startServer(dbPath: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-client-'));
  const db = join(dir, 'sb.db');
  copyFileSync(dbPath, db); // the server may write (compact) its file
  const sock = join(dir, 'sb.sock');
  const t0 = performance.now();
  const child = spawn(
    'ovsdb-server',
    ['--no-chdir', `--pidfile=${dir}/sb.pid`, `--log-file=${dir}/sb.log`, `--remote=punix:${sock}`, `--unixctl=${dir}/sb.ctl`, db],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  if (!child.pid) throw new Error('could not start ovsdb-server');
  let exited = false;
  child.on('exit', () => (exited = true));
  const server: Server = { pid: child.pid, sock, dir, child, loadMs: 0 };
  const end = Date.now() + 600_000;
  for (;;) {
    if (exited) throw new Error(`ovsdb-server exited; see ${dir}/sb.log`);
    if (Date.now() > end) throw new Error('ovsdb-server did not come up');
    if (existsSync(sock)) {
      const r = spawnSync('ovsdb-client', ['list-dbs', `unix:${sock}`], { encoding: 'utf8', timeout: 60_000 });
      if (r.status === 0 && r.stdout.includes('OVN_Southbound')) break;
    }
    await sleep(100);
  }
  server.loadMs = performance.now() - t0;
  return server;
}

async function stopServer(s: Server): Promise<void> {
  if (!processGone(s.pid)) {
    process.kill(s.pid, 'SIGTERM');
    try {
      await waitGone(s.pid, 30_000);
    } catch {
      process.kill(s.pid, 'SIGKILL');
    }
  }
  if (!KEEP) rmSync(s.dir, { recursive: true, force: true });
}

// ------------------------------------------------------------------ runs

interface RunResult {
  variant: string;
  round: number;
  /** The measured time (see the header comment). */
  ms: number;
  /** Spawn → exit of the measured process. */
  wallMs: number;
  peakRssKb: number | undefined;
  clientCpuMs: number | undefined;
  serverCpuMs: number | undefined;
  extra?: Record<string, unknown>;
}

let runSeq = 0;

async function runCMonitor(s: Server, table: string, format: string): Promise<Omit<RunResult, 'variant' | 'round'>> {
  const pidfile = join(s.dir, `mon-${++runSeq}.pid`);
  const env = { ...process.env, OVS_RUNDIR: s.dir, OVS_LOGDIR: s.dir };
  const cpu0 = procCpuMs(s.pid)!;
  const r = await runProcess(
    'ovsdb-client',
    [`--format=${format}`, '--detach', '--no-chdir', `--pidfile=${pidfile}`, 'monitor', `unix:${s.sock}`, 'OVN_Southbound', table],
    { env, captureStdout: false, timeoutMs: RUN_TIMEOUT_MS, stderrFile: `${pidfile}.err` },
  );
  const cpu1 = procCpuMs(s.pid)!;
  if (r.code !== 0) throw new Error(`ovsdb-client monitor failed (${r.code}): ${r.stderr}`);
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  const peak = procStatusKb(pid, 'VmHWM');
  const cpu = procCpuMs(pid);
  process.kill(pid, 'SIGKILL');
  await waitGone(pid, 60_000);
  rmSync(pidfile, { force: true });
  return { ms: r.wallMs, wallMs: r.wallMs, peakRssKb: peak, clientCpuMs: cpu, serverCpuMs: cpu1 - cpu0 };
}

async function runCDump(s: Server, table: string): Promise<Omit<RunResult, 'variant' | 'round'>> {
  const timeOut = join(s.dir, `time-${++runSeq}.txt`);
  const cpu0 = procCpuMs(s.pid)!;
  const r = await runProcess(
    '/usr/bin/time',
    ['-f', '%e %U %S %M', '-o', timeOut, 'ovsdb-client', 'dump', `unix:${s.sock}`, 'OVN_Southbound', table],
    { captureStdout: false, timeoutMs: RUN_TIMEOUT_MS },
  );
  const cpu1 = procCpuMs(s.pid)!;
  if (r.code !== 0) throw new Error(`ovsdb-client dump failed (${r.code}): ${r.stderr}`);
  const [, user, sys, maxKb] = readFileSync(timeOut, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { ms: r.wallMs, wallMs: r.wallMs, peakRssKb: maxKb, clientCpuMs: (user! + sys!) * 1000, serverCpuMs: cpu1 - cpu0 };
}

function nodeArgs(extra: string[] = []): string[] {
  return [...extra, '--import', 'tsx', join(REPO_ROOT, 'bench/client/our-client.ts')];
}

async function runOurs(s: Server, tables: 'lflow' | 'all', nodeExtra: string[] = []): Promise<Omit<RunResult, 'variant' | 'round'>> {
  const cpu0 = procCpuMs(s.pid)!;
  const r = await runProcess(
    process.execPath,
    [...nodeArgs(nodeExtra), '--remote', `unix:${s.sock}`, '--tables', tables, '--expect', String(ROWS), '--probe-ms', PROBE_MS],
    { captureStdout: true, timeoutMs: RUN_TIMEOUT_MS },
  );
  const cpu1 = procCpuMs(s.pid)!;
  if (r.code !== 0) throw new Error(`our client failed (${r.code}): ${r.stderr}\n${r.stdout}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    ms: number; maxRssKb: number; cpuMs: number; cpuTotalMs: number; windowUs: [number, number]; rows: Record<string, number>; startupMs: number; heapUsedMb: number;
  };
  return {
    ms: out.ms,
    wallMs: r.wallMs,
    peakRssKb: out.maxRssKb,
    clientCpuMs: out.cpuMs,
    serverCpuMs: cpu1 - cpu0,
    extra: { windowUs: out.windowUs, rows: out.rows, startupMs: out.startupMs, heapUsedMb: out.heapUsedMb, cpuTotalMs: out.cpuTotalMs },
  };
}

interface Variant {
  name: string;
  /** Which C variant(s) ours is compared with (same tables). */
  kind: 'c' | 'ours';
  tables: 'lflow' | 'all';
  run(s: Server): Promise<Omit<RunResult, 'variant' | 'round'>>;
}

function variants(): Variant[] {
  const v: Variant[] = [];
  for (const f of C_FORMATS) v.push({ name: `C monitor --format=${f} (Logical_Flow)`, kind: 'c', tables: 'lflow', run: (s) => runCMonitor(s, 'Logical_Flow', f) });
  if (WITH_DUMP) v.push({ name: 'C dump (Logical_Flow)', kind: 'c', tables: 'lflow', run: (s) => runCDump(s, 'Logical_Flow') });
  v.push({ name: 'ours replica (Logical_Flow)', kind: 'ours', tables: 'lflow', run: (s) => runOurs(s, 'lflow') });
  if (WITH_ALL) {
    v.push({ name: `C monitor --format=${C_FORMATS[0]} (ALL)`, kind: 'c', tables: 'all', run: (s) => runCMonitor(s, 'ALL', C_FORMATS[0]!) });
    v.push({ name: 'ours replica (all tables)', kind: 'ours', tables: 'all', run: (s) => runOurs(s, 'all') });
  }
  return v;
}

// ------------------------------------------------------------------ report

const fmtMs = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : x >= 10000 ? `${(x / 1000).toFixed(1)}s` : `${Math.round(x)}ms`);
const fmtMb = (kb: number | undefined): string => (kb === undefined || Number.isNaN(kb) ? '-' : `${Math.round(kb / 1024)} MiB`);

interface Summary {
  variant: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  medianClientCpuMs: number;
  medianServerCpuMs: number;
  medianPeakRssKb: number;
  /** ours only: median over rounds of ours/C, per C variant with the same tables. */
  ratios?: Record<string, { time: number; clientCpu: number; rss: number }>;
}

function summarize(vs: Variant[], results: RunResult[]): Summary[] {
  const out: Summary[] = [];
  for (const v of vs) {
    const rs = results.filter((r) => r.variant === v.name);
    const ms = rs.map((r) => r.ms);
    const s: Summary = {
      variant: v.name,
      runs: rs.length,
      medianMs: median(ms),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      medianClientCpuMs: median(rs.map((r) => r.clientCpuMs ?? NaN).filter((x) => !Number.isNaN(x))),
      medianServerCpuMs: median(rs.map((r) => r.serverCpuMs ?? NaN).filter((x) => !Number.isNaN(x))),
      medianPeakRssKb: median(rs.map((r) => r.peakRssKb ?? NaN).filter((x) => !Number.isNaN(x))),
    };
    if (v.kind === 'ours') {
      s.ratios = {};
      for (const c of vs.filter((x) => x.kind === 'c' && x.tables === v.tables)) {
        const t: number[] = [];
        const cpu: number[] = [];
        const rss: number[] = [];
        for (const r of rs) {
          const cr = results.find((x) => x.variant === c.name && x.round === r.round);
          if (!cr) continue;
          t.push(r.ms / cr.ms);
          if (r.clientCpuMs !== undefined && cr.clientCpuMs) cpu.push(r.clientCpuMs / cr.clientCpuMs);
          if (r.peakRssKb !== undefined && cr.peakRssKb) rss.push(r.peakRssKb / cr.peakRssKb);
        }
        s.ratios[c.name] = { time: median(t), clientCpu: median(cpu), rss: median(rss) };
      }
    }
    out.push(s);
  }
  return out;
}

function printTable(sums: Summary[]): string {
  const rows: string[][] = [['variant', 'median', 'min–max', 'client CPU', 'server CPU', 'peak RSS']];
  for (const s of sums) {
    rows.push([s.variant, fmtMs(s.medianMs), `${fmtMs(s.minMs)}–${fmtMs(s.maxMs)}`, fmtMs(s.medianClientCpuMs), fmtMs(s.medianServerCpuMs), fmtMb(s.medianPeakRssKb)]);
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
  lines.splice(1, 0, w.map((n) => '-'.repeat(n)).join('  '));
  lines.push('');
  lines.push('ratios ours/C (median of per-round ratios):');
  for (const s of sums) {
    if (!s.ratios) continue;
    for (const [c, r] of Object.entries(s.ratios)) {
      lines.push(`  ${s.variant} vs ${c}: time ${r.time.toFixed(2)}x, client CPU ${r.clientCpu.toFixed(2)}x, peak RSS ${r.rss.toFixed(2)}x`);
    }
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ main

/** git HEAD plus a hash of the current src/ovsdb and src/replica files (may be uncommitted). */
function sourcesFingerprint(): { head: string; dirty: string[]; sha1: string } {
  const git = (...a: string[]): string => spawnSync('git', a, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();
  const h = createHash('sha1');
  for (const d of ['src/ovsdb', 'src/replica']) {
    for (const f of readdirSync(join(REPO_ROOT, d)).filter((x) => x.endsWith('.ts')).sort()) {
      h.update(f);
      h.update(readFileSync(join(REPO_ROOT, d, f)));
    }
  }
  return {
    head: git('rev-parse', '--short', 'HEAD'),
    dirty: git('status', '--porcelain', '--', 'src/ovsdb', 'src/replica').split('\n').filter(Boolean),
    sha1: h.digest('hex').slice(0, 12),
  };
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time missing: apt-get install -y time');
  mkdirSync(OUT_DIR, { recursive: true });
  const dbPath = ensureSb(ROWS, log);
  log(`starting ovsdb-server on ${dbPath}...`);
  const server = await startServer(dbPath);
  log(`  server pid ${server.pid}, ready after ${fmtMs(server.loadMs)}, RSS ${fmtMb(procStatusKb(server.pid, 'VmRSS'))} (dir ${server.dir})`);
  const onSignal = (): void => {
    if (!processGone(server.pid)) process.kill(server.pid, 'SIGKILL');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const vs = variants();
  const results: RunResult[] = [];
  let profileSummary: string | undefined;
  let profileJson: unknown;
  try {
    for (let round = -WARMUP; round < ROUNDS; round++) {
      // Alternate the order every round so neither side always runs first.
      const order = round % 2 === 0 ? vs : [...vs].reverse();
      for (const v of order) {
        const t = `${round < 0 ? 'warmup' : `round ${round + 1}/${ROUNDS}`}  ${v.name}`;
        const r = await v.run(server);
        log(`${t}: ${fmtMs(r.ms)} (client CPU ${fmtMs(r.clientCpuMs)}, server CPU ${fmtMs(r.serverCpuMs)}, peak RSS ${fmtMb(r.peakRssKb)}) load ${loadavg()[0]!.toFixed(1)}`);
        if (round >= 0) results.push({ variant: v.name, round, ...r });
      }
    }
    if (PROFILE) {
      const dir = join(OUT_DIR, 'client-prof');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      log('profiling our client (Logical_Flow) with --cpu-prof...');
      const r = await runOurs(server, 'lflow', ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=500']);
      log(`  profiled run: ${fmtMs(r.ms)}`);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        // Only the connect → snapshot-ready window (not Node/tsx start-up).
        const sum = summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), r.extra?.['windowUs'] as [number, number]);
        profileSummary = `profile ${join(dir, file)} (connect → snapshot-ready window only)\n${formatSummary(sum, 25)}`;
        profileJson = { file: join(dir, file), runMs: r.ms, ...sum, functions: sum.functions.slice(0, 40) };
      }
    }
  } finally {
    await stopServer(server);
  }

  const sums = summarize(vs, results);
  const table = printTable(sums);
  const env = {
    rows: ROWS,
    rounds: ROUNDS,
    warmup: WARMUP,
    probeMs: Number(PROBE_MS),
    node: process.version,
    ovsdb: spawnSync('ovsdb-client', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0],
    cpus: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    serverLoadMs: Math.round(server.loadMs),
    loadavgAtEnd: loadavg(),
    date: new Date().toISOString(),
    // The client code is still being worked on: identify the version measured.
    clientSources: sourcesFingerprint(),
  };
  console.log(`\nInitial monitor of OVN_Southbound with ${ROWS} Logical_Flow rows, ${ROUNDS} interleaved rounds (${env.cpus} CPUs, load avg at end ${env.loadavgAtEnd.map((x) => x.toFixed(1)).join(' ')})\n`);
  console.log(table);
  if (profileSummary) console.log(`\n${profileSummary}`);
  const outFile = join(OUT_DIR, 'client-initial-dump.json');
  writeFileSync(outFile, JSON.stringify({ env, summary: sums, runs: results, profile: profileJson }, null, 2) + '\n');
  console.log(`\nwrote ${outFile}`);
}

main().catch((e: unknown) => {
  log(`bench/client/run.ts: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
