/**
 * Where a cold start's wall time goes, across processes: a fresh NB (snapshot) and an
 * empty SB, one daemon (ours from bench/out/dist, or the reference), and every 100 ms the
 * CPU the daemon and the SB ovsdb-server spent in that slice (from /proc). Prints the
 * slices (who was busy when) and, for ours, the debug log lines with their time since spawn.
 *
 *   npx tsx bench/northd/cold-timeline.ts --scale large|--nodes N [--ref] [--linger MS] [--node-arg=--cpu-prof --node-arg=--cpu-prof-dir=bench/out/prof-cold]
 */
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfgWatcher } from './cfg-watcher.js';
import { argv, opt } from './args.js';
import { ovnkName, ovnkSpecFromArgs, seedSb } from '../topology/gen.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCALE = argv.includes('--nodes') ? ovnkName(ovnkSpecFromArgs(argv)) : opt('--scale', 'large');
const REF = argv.includes('--ref');
/** Keep sampling this long after sb_cfg caught up (what the daemon does next). */
const LINGER_MS = Number(opt('--linger', '0'));
const NODE_ARGS = argv.filter((a) => a.startsWith('--node-arg=')).map((a) => a.slice('--node-arg='.length));
const TICKS = 100; // USER_HZ

function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(parts[11]) + Number(parts[12])) * 1000) / TICKS;
}

function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

function startServer(dir: string, name: string, db: string): { pid: number; remote: string; sock: string } {
  const sock = join(dir, `${name}.sock`);
  const child = spawn('ovsdb-server', ['--no-chdir', `--remote=punix:${sock}`, `--unixctl=${join(dir, name + '.ctl')}`, `--log-file=${join(dir, name + '.log')}`, '-vconsole:off', db], { stdio: 'ignore' });
  return { pid: child.pid!, remote: `unix:${sock}`, sock };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const snapshot = join(REPO, `bench/out/nb-${SCALE}.db`);
  if (!existsSync(snapshot)) throw new Error(`${snapshot} missing: run bench/northd/run.ts --scale ${SCALE} once first`);
  const dir = mkdtempSync(join(tmpdir(), 'bct-'));
  try {
    copyFileSync(snapshot, join(dir, 'nb.db'));
    execFileSync('ovsdb-tool', ['create', join(dir, 'sb.db'), join(REPO, 'schemas/ovn-sb.ovsschema')]);
    const nb = startServer(dir, 'nb', join(dir, 'nb.db'));
    const sb = startServer(dir, 'sb', join(dir, 'sb.db'));
    await sleep(1500);
    if (existsSync(snapshot + '.sb-seed.json')) await seedSb(sb.sock, snapshot + '.sb-seed.json');
    execFileSync('ovn-nbctl', [`--db=${nb.remote}`, 'set', 'NB_Global', '.', 'nb_cfg=1']);
    const watch = await CfgWatcher.open(nb.sock);
    const log = join(dir, 'northd.log');
    const common = ['--no-chdir', `--log-file=${log}`, `--ovnnb-db=${nb.remote}`, `--ovnsb-db=${sb.remote}`, `--unixctl=${join(dir, 'northd.ctl')}`, '-vconsole:off'];
    const t0 = Date.now();
    const p0 = performance.now();
    let caughtUp: number | undefined;
    void watch.sbCfgReached(1, 600_000).then((t) => (caughtUp = t - p0));
    const daemon = REF
      ? spawn('ovn-northd', [...common, '-vfile:dbg'], { stdio: 'ignore' })
      : spawn(process.execPath, [...NODE_ARGS, join(REPO, 'bench/northd/ts-entry.mjs'), ...common, '-vfile:dbg'], { stdio: 'ignore' });
    const pid = daemon.pid!;
    const slices: string[] = [];
    let lastD = 0;
    let lastS = cpuMs(sb.pid);
    let lastN = cpuMs(nb.pid);
    let doneAt: number | undefined;
    for (let i = 0; (doneAt === undefined || Date.now() - doneAt < LINGER_MS) && i < 1200; i++) {
      await sleep(100);
      const d = cpuMs(pid);
      const s = cpuMs(sb.pid);
      const n = cpuMs(nb.pid);
      const t = Date.now() - t0;
      if (caughtUp !== undefined) doneAt ??= Date.now();
      slices.push(`${String(t).padStart(6)} ms  daemon ${String(d - lastD).padStart(4)}  sb ${String(s - lastS).padStart(4)}  nb ${String(n - lastN).padStart(4)}  rss ${statusMb(pid, 'VmRSS')}`);
      lastD = d;
      lastS = s;
      lastN = n;
    }
    console.log(`${REF ? 'reference' : 'ovn-northd-ts'} at ${SCALE}: sb_cfg caught up after ${Math.round(caughtUp ?? NaN)} ms; daemon CPU ${cpuMs(pid)} ms, peak RSS ${statusMb(pid, 'VmHWM')} MB`);
    watch.close();
    console.log(slices.join('\n'));
    if (!REF) {
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const j = JSON.parse(line) as { time: number; msg: string; phases?: unknown; sbOps?: number };
          console.log(`${String(j.time - t0).padStart(6)} ms  ${j.msg}${j.phases ? ' ' + JSON.stringify(j.phases) : ''}${j.sbOps !== undefined ? ` sbOps=${j.sbOps}` : ''}`);
        } catch {
          console.log(line);
        }
      }
    }
    // SIGTERM: a daemon under --cpu-prof writes its profile on the way out.
    daemon.kill('SIGTERM');
    await Promise.race([new Promise((r) => daemon.once('exit', r)), sleep(20_000)]);
    daemon.kill('SIGKILL');
    process.kill(nb.pid, 'SIGKILL');
    process.kill(sb.pid, 'SIGKILL');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
