/**
 * End-to-end harness: real NB/SB ovsdb-servers, a northd (the reference `ovn-northd` or ours),
 * "chassis" made of ovsdb-server + ovs-vswitchd (userspace datapath) + ovn-controller, and
 * "VMs" made of network namespaces with a veth pair plugged into br-int.
 *
 * Layout of one environment (one per test file, see `E2E.create`):
 *
 *   <tmp>/ovn-e2e-<prefix>-XXXXXX/          private dir: nb.db sb.db *.sock *.pid *.log *.ctl
 *   <tmp>/…/<chassis>/                      conf.db, db.sock, vswitchd/ovn-controller pid+log, br-*.mgmt
 *   netns <prefix>-<chassis>                ovs-vswitchd and ovn-controller run here, so the tap
 *                                           devices of the netdev bridges (br-int, br-phys) and the
 *                                           OVS ends of the veths never appear in the root netns
 *   netns <prefix>-<vm>                     one per VM / physical host, holding the other veth end
 *
 * `prefix` is random per environment ("e" + 4 chars), so parallel runs do not collide; every
 * interface name is `<prefix><h|v><n>` (≤ 10 chars).
 *
 * Everything is bounded: commands run with timeouts, waits take a timeout, teardown always runs
 * (call `teardown()` from afterAll; a process 'exit' hook does a synchronous best-effort cleanup
 * too). Daemons are stopped by the PIDs in their pidfiles (after checking that /proc/<pid>/cmdline
 * still names our private dir), never by name. Set E2E_KEEP=1 to keep the temp dir (logs, dbs).
 *
 * Reading the databases never creates rows: `query()` uses `ovsdb-client query` (ovn-nbctl and
 * ovn-sbctl create NB_Global/SB_Global as a side effect of any command, even `list`, which would do
 * part of northd's job for it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive, run, runSyncQuiet, sleep, tail, waitFor, type RunOptions, type RunResult } from './exec.js';

export { waitFor, run, sleep } from './exec.js';

/** Root of the repository (test/e2e/harness.ts → ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Which northd a test starts.
 * - `reference`: the real `ovn-northd` 23.03.1.
 * - `ts`: our daemon, `node <repo>/bin/ovn-northd-ts.js` with exactly the same flags.
 * - `none` (hidden self-check): a process that does nothing; SB stays empty, so chassis startup
 *   fails (ovn-controller needs SB_Global) in bounded time.
 * - `stub` (hidden self-check): does nothing either, but the harness inserts an empty SB_Global so
 *   ovn-controller can run; every data-plane / NB write-back check must then fail on its own.
 */
export type NorthdKind = 'reference' | 'ts' | 'none' | 'stub';

/** The northd kind chosen by `E2E_NORTHD` (default `ts`). */
export function northdKindFromEnv(): NorthdKind {
  const k = process.env.E2E_NORTHD ?? 'ts';
  if (k === 'reference' || k === 'ts' || k === 'none' || k === 'stub') return k;
  throw new Error(`E2E_NORTHD must be one of reference, ts (or none, stub for self-checks); got '${k}'`);
}

let skipReasonCache: string | null | undefined;
/**
 * Why the e2e suite cannot run here (not root, or `ip netns` unusable), or undefined if it can.
 * Only these two conditions skip; anything else missing (binaries, …) makes the tests fail.
 */
export function e2eSkipReason(): string | undefined {
  if (skipReasonCache !== undefined) return skipReasonCache ?? undefined;
  let reason: string | null = null;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    reason = 'e2e tests need root (network namespaces, veths, ovs-vswitchd)';
  } else {
    const probe = `e2eprobe${process.pid}`;
    try {
      runSyncChecked('ip', ['netns', 'add', probe]);
      runSyncChecked('ip', ['netns', 'del', probe]);
    } catch (err) {
      reason = `'ip netns' is unavailable: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  skipReasonCache = reason;
  // eslint-disable-next-line no-console
  if (reason) console.warn(`[e2e] SKIPPED: ${reason}`);
  return reason ?? undefined;
}

function runSyncChecked(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { timeout: 5000, stdio: ['ignore', 'ignore', 'pipe'], killSignal: 'SIGKILL' });
}

/** One OVSDB row as decoded by `decodeDatum`: uuids as strings, sets as arrays, maps as objects. */
export type Row = Record<string, unknown>;

/**
 * Decodes an OVSDB JSON datum: ["uuid",u] → u, ["set",[…]] → […], ["map",[[k,v]…]] → {k:v}.
 * A set with one element is sent as the bare atom; use `asArray` when a column is a set.
 */
export function decodeDatum(v: unknown): unknown {
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string') {
    const [tag, val] = v as [string, unknown];
    if (tag === 'uuid' || tag === 'named-uuid') return val;
    if (tag === 'set') return (val as unknown[]).map(decodeDatum);
    if (tag === 'map') {
      return Object.fromEntries((val as [unknown, unknown][]).map(([k, x]) => [String(decodeDatum(k)), decodeDatum(x)]));
    }
  }
  return v;
}

/** A set-typed column as an array (OVSDB sends one-element sets as the bare atom). */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** A map-typed column as a plain object. */
export function asMap(v: unknown): Record<string, string> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
}

interface DaemonRecord {
  name: string;
  pid: number;
  pidfile?: string;
  /** A substring /proc/<pid>/cmdline must contain before we signal the pid (guards PID reuse). */
  mark: string;
}

/** Options of `E2E.create`. */
export interface CreateOptions {
  /** Only for messages. */
  label?: string;
}

/** Options of `E2E.addChassis`. */
export interface ChassisOptions {
  /** `ovn-bridge-mappings`, e.g. `{ physnet1: 'br-phys' }`; each bridge is created (netdev). */
  bridgeMappings?: Record<string, string>;
  /** How long to wait for SB_Global before starting ovn-controller. Default 20 s. */
  sbGlobalTimeoutMs?: number;
  /** How long to wait for the SB Chassis row. Default 20 s. */
  chassisTimeoutMs?: number;
  /**
   * `ovn-encap-ip` (geneve tunnel endpoint). Default 127.0.0.1, fine for one chassis; several
   * chassis need distinct addresses on an underlay between their netns (see router-helpers.ts).
   */
  encapIp?: string;
}

/** Options of `Chassis.addVm`. */
export interface VmOptions {
  /** Logical switch port the VM binds to (`external_ids:iface-id`). */
  lsp: string;
  mac: string;
  /**
   * Address with prefix length, e.g. `192.168.1.10/24`. Omitted (undefined): the interface comes
   * up without any IPv4 address (e.g. for a DHCP client); `Vm.ip` is then ''.
   */
  ip?: string;
  /** Default gateway, optional (ignored without `ip`). */
  gateway?: string;
}

/** Options of `Chassis.addPhysHost`. */
export interface PhysHostOptions {
  /** The OVS bridge the host's veth is plugged into (one of the chassis `bridgeMappings` values). */
  bridge: string;
  mac: string;
  ip: string;
  gateway?: string;
}

/**
 * One test environment: temp dir, NB + SB ovsdb-servers, a northd, chassis, VMs.
 * Create with `E2E.create()`, always `teardown()` in afterAll.
 */
export class E2E {
  readonly nbSock: string;
  readonly sbSock: string;
  readonly nbRemote: string;
  readonly sbRemote: string;
  /** Environment for OVS/OVN tools: rundirs point into the temp dir, no OVN_*_DAEMON/DB leaks. */
  readonly toolEnv: NodeJS.ProcessEnv;
  northdKind: NorthdKind | undefined;

  private readonly daemons: DaemonRecord[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly netnsList: string[] = [];
  private readonly chassisList: Chassis[] = [];
  private ifCounter = 0;
  private tornDown = false;

  private constructor(
    /** Private temp dir of this environment. */
    readonly dir: string,
    /** Unique name prefix of this environment's netns and interfaces. */
    readonly prefix: string,
    readonly label: string,
  ) {
    this.nbSock = path.join(dir, 'nb.sock');
    this.sbSock = path.join(dir, 'sb.sock');
    this.nbRemote = `unix:${this.nbSock}`;
    this.sbRemote = `unix:${this.sbSock}`;
    this.toolEnv = toolEnv(dir);
    liveEnvs.add(this);
    installProcessHooks();
  }

  /** Creates the temp dir and starts the NB and SB ovsdb-servers (empty databases). */
  static async create(opts: CreateOptions = {}): Promise<E2E> {
    const prefix = `e${randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, '0').slice(-4)}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), `ovn-e2e-${prefix}-`));
    const env = new E2E(dir, prefix, opts.label ?? prefix);
    try {
      for (const [db, schema] of [
        ['nb', '/usr/share/ovn/ovn-nb.ovsschema'],
        ['sb', '/usr/share/ovn/ovn-sb.ovsschema'],
      ] as const) {
        await env.tool('ovsdb-tool', ['create', path.join(dir, `${db}.db`), schema]);
        await env.startDetached(`${db}-ovsdb-server`, 'ovsdb-server', [
          '--detach',
          '--no-chdir',
          `--pidfile=${dir}/${db}.pid`,
          `--log-file=${dir}/${db}.log`,
          `--remote=punix:${dir}/${db}.sock`,
          `--unixctl=${dir}/${db}.ctl`,
          `${dir}/${db}.db`,
        ], `${dir}/${db}.pid`);
      }
      await waitFor(() => existsSync(env.nbSock) && existsSync(env.sbSock), {
        timeoutMs: 5000,
        what: 'NB/SB sockets',
      });
    } catch (err) {
      await env.teardown();
      throw err;
    }
    return env;
  }

  // ---------------------------------------------------------------- northd

  /**
   * Starts a northd against this environment's NB and SB:
   * `--ovnnb-db --ovnsb-db --pidfile --log-file --unixctl --detach --no-chdir`.
   * `env` is merged over the tool environment (e.g. log levels for our daemon).
   * Resolves once the daemon has detached and written its pidfile.
   */
  async startNorthd(kind: NorthdKind, env: NodeJS.ProcessEnv = {}): Promise<void> {
    this.northdKind = kind;
    const d = this.dir;
    const pidfile = `${d}/northd.pid`;
    const flags = [
      `--ovnnb-db=${this.nbRemote}`,
      `--ovnsb-db=${this.sbRemote}`,
      `--pidfile=${pidfile}`,
      `--log-file=${d}/northd.log`,
      `--unixctl=${d}/northd.ctl`,
      '--detach',
      '--no-chdir',
    ];
    const fullEnv = { ...this.toolEnv, ...env };
    switch (kind) {
      case 'reference':
        await this.startDetached('northd', 'ovn-northd', flags, pidfile, fullEnv);
        return;
      case 'ts':
        await this.startDetached('northd', process.execPath, [path.join(REPO_ROOT, 'bin', 'ovn-northd-ts.js'), ...flags], pidfile, fullEnv, 20_000);
        return;
      case 'none':
      case 'stub': {
        // A northd that does nothing at all (but lives, like a hung daemon would).
        this.spawnIdle('northd-none', pidfile);
        if (kind === 'stub') {
          // Just enough for ovn-controller not to crash; no flows, no bindings, no nb_cfg.
          await this.transact('sb', [{ op: 'insert', table: 'SB_Global', row: {} }]);
        }
        return;
      }
    }
  }

  /** Path of the northd log (for diagnostics). */
  get northdLog(): string {
    return `${this.dir}/northd.log`;
  }

  // ---------------------------------------------------------------- databases

  /** Runs ovn-nbctl against our NB (writes are fine: that is what a CMS does). Returns trimmed stdout. */
  async nbctl(args: string[], opts: { timeoutMs?: number } = {}): Promise<string> {
    const ms = opts.timeoutMs ?? 10_000;
    const r = await this.tool('ovn-nbctl', [`--db=${this.nbRemote}`, `--timeout=${Math.max(1, Math.ceil(ms / 1000))}`, ...args], {
      timeoutMs: ms + 3000,
    });
    return r.stdout.trim();
  }

  /** Runs ovn-sbctl against our SB. Beware: any ovn-sbctl command creates SB_Global if missing. */
  async sbctl(args: string[], opts: { timeoutMs?: number } = {}): Promise<string> {
    const ms = opts.timeoutMs ?? 10_000;
    const r = await this.tool('ovn-sbctl', [`--db=${this.sbRemote}`, `--timeout=${Math.max(1, Math.ceil(ms / 1000))}`, ...args], {
      timeoutMs: ms + 3000,
    });
    return r.stdout.trim();
  }

  /**
   * Read-only select through `ovsdb-client query` (never creates rows).
   * `where` uses OVSDB conditions, e.g. `[['name', '==', 'ls1']]`.
   */
  async query(
    db: 'nb' | 'sb',
    table: string,
    opts: { where?: unknown[]; columns?: string[]; timeoutMs?: number } = {},
  ): Promise<Row[]> {
    const op: Record<string, unknown> = { op: 'select', table, where: opts.where ?? [] };
    if (opts.columns) op.columns = opts.columns;
    const [res] = await this.ovsdbClient('query', db, [op], opts.timeoutMs);
    return ((res as { rows: Row[] }).rows ?? []).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, decodeDatum(v)])),
    );
  }

  /** Raw transaction through `ovsdb-client transact` (for the harness's own fixtures). */
  async transact(db: 'nb' | 'sb', ops: unknown[], timeoutMs?: number): Promise<unknown[]> {
    return this.ovsdbClient('transact', db, ops, timeoutMs);
  }

  private async ovsdbClient(cmd: 'query' | 'transact', db: 'nb' | 'sb', ops: unknown[], timeoutMs = 5000): Promise<unknown[]> {
    const name = db === 'nb' ? 'OVN_Northbound' : 'OVN_Southbound';
    const sock = db === 'nb' ? this.nbRemote : this.sbRemote;
    const r = await this.tool('ovsdb-client', [`--timeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`, cmd, sock, JSON.stringify([name, ...ops])], {
      timeoutMs: timeoutMs + 2000,
    });
    const results = JSON.parse(r.stdout) as unknown[];
    for (const x of results) {
      if (x && typeof x === 'object' && 'error' in x) throw new Error(`ovsdb ${cmd} error: ${JSON.stringify(x)}`);
    }
    return results;
  }

  /** The NB Logical_Switch_Port row named `name`, or undefined. */
  async lsp(name: string): Promise<Row | undefined> {
    return (await this.query('nb', 'Logical_Switch_Port', { where: [['name', '==', name]] }))[0];
  }

  /** Waits until NB Logical_Switch_Port `name` has `up=true` (northd's write-back). */
  async waitLspUp(name: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(async () => (await this.lsp(name))?.up === true, {
      timeoutMs,
      intervalMs: 200,
      what: `NB Logical_Switch_Port ${name} up=true`,
    });
  }

  /** Waits until SB_Global exists (northd creates it). */
  async waitSbGlobal(timeoutMs = 20_000): Promise<void> {
    await waitFor(async () => (await this.query('sb', 'SB_Global', { columns: ['_uuid'] })).length > 0, {
      timeoutMs,
      intervalMs: 200,
      what: `SB_Global (created by northd '${this.northdKind ?? '?'}')`,
    });
  }

  // ---------------------------------------------------------------- chassis

  /**
   * Starts a chassis named `name` (also its `system-id`): conf.db ovsdb-server, ovs-vswitchd with
   * the userspace datapath in its own netns, br-int (netdev, secure), the external_ids
   * ovn-controller needs, the bridges of `bridgeMappings`, then — once SB_Global exists, because
   * ovn-controller 23.03.1 segfaults without it — ovn-controller; resolves when the SB Chassis row
   * appears.
   */
  async addChassis(name: string, opts: ChassisOptions = {}): Promise<Chassis> {
    const ch = new Chassis(this, name, path.join(this.dir, name), `${this.prefix}-${name}`);
    this.chassisList.push(ch);
    await ch.start(opts);
    return ch;
  }

  // ---------------------------------------------------------------- internals used by Chassis/Vm

  /** Runs an OVS/OVN tool with the environment's tool env. */
  tool(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(cmd, args, { env: this.toolEnv, ...opts });
  }

  /** Adds a network namespace (tracked for teardown) with lo up. */
  async addNetns(suffix: string): Promise<string> {
    const ns = `${this.prefix}-${suffix}`;
    this.netnsList.push(ns);
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** A fresh interface name `<prefix><kind><n>` (≤ 15 chars). */
  ifName(kind: string): string {
    const n = ++this.ifCounter;
    const name = `${this.prefix}${kind}${n}`;
    if (name.length > 15) throw new Error(`interface name too long: ${name}`);
    return name;
  }

  /**
   * Runs a daemon that detaches itself (`--detach`), then records the PID from its pidfile.
   * `cmdPrefix` allows `ip netns exec <ns>` in front.
   */
  async startDetached(
    name: string,
    cmd: string,
    args: string[],
    pidfile: string,
    env: NodeJS.ProcessEnv = this.toolEnv,
    timeoutMs = 15_000,
    cmdPrefix: string[] = [],
  ): Promise<number> {
    const [c, ...a] = [...cmdPrefix, cmd, ...args];
    try {
      await run(c!, a, { env, timeoutMs });
    } catch (err) {
      // Maybe it wrote a pidfile before failing / hanging: remember it so teardown stops it.
      this.rememberPidfile(name, pidfile);
      throw new Error(`${name} failed to start (${(err as Error).message})${this.logHint(pidfile)}`);
    }
    const pid = await waitFor(() => readPid(pidfile), { timeoutMs: 5000, what: `${name} pidfile ${pidfile}` });
    this.daemons.push({ name, pid, pidfile, mark: this.dir });
    if (!pidAlive(pid)) throw new Error(`${name} (pid ${pid}) died right after starting${this.logHint(pidfile)}`);
    return pid;
  }

  private rememberPidfile(name: string, pidfile: string): void {
    const pid = readPid(pidfile);
    if (pid) this.daemons.push({ name, pid, pidfile, mark: this.dir });
  }

  private logHint(pidfile: string): string {
    const log = pidfile.replace(/\.pid$/, '.log');
    try {
      return `\nlog ${log}:\n${tail(readFileSync(log, 'utf8'), 1500)}`;
    } catch {
      return '';
    }
  }

  /** A do-nothing process (for the `none`/`stub` northd), with our pidfile; exits if we die. */
  private spawnIdle(name: string, pidfile: string): void {
    const code = `const p=+process.argv[1];setInterval(()=>{try{process.kill(p,0)}catch{process.exit(0)}},1000)`;
    const child = spawn(process.execPath, ['-e', code, String(process.pid), pidfile], { stdio: 'ignore', detached: true });
    child.unref();
    writeFileSync(pidfile, `${child.pid}\n`);
    this.daemons.push({ name, pid: child.pid!, pidfile, mark: pidfile });
  }

  /**
   * Spawns a long-running foreground child (tracked; killed at teardown) and resolves once a line
   * of its stdout matches `ready`.
   */
  async spawnUntil(cmd: string, args: string[], ready: RegExp, timeoutMs = 10_000): Promise<ChildProcess> {
    const child = this.spawnTracked(cmd, args);
    let out = '';
    let err = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (ready.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code, sig) => {
          clearTimeout(timer);
          reject(new Error(`exited (${code ?? sig})`));
        });
        child.once('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${[cmd, ...args].join(' ').slice(0, 200)}: ${(e as Error).message}; stderr: ${tail(err, 800)}`);
    }
    return child;
  }

  /**
   * Spawns a foreground child (stdout/stderr piped) that is tracked: SIGKILLed at teardown and by
   * the process exit/signal hooks if it is still running. For a command run directly (or through
   * `ip netns exec`, which execs), that is the command itself.
   */
  spawnTracked(cmd: string, args: string[]): ChildProcess {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.toolEnv });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Stops one tracked daemon by name (SIGTERM, then SIGKILL). */
  async stopDaemon(name: string): Promise<void> {
    for (const d of this.daemons.filter((x) => x.name === name)) await stopPid(d);
  }

  // ---------------------------------------------------------------- diagnostics

  /** Names of the daemons we started that are no longer running (e.g. a crashed northd). */
  deadDaemons(): string[] {
    return this.daemons.filter((d) => !ownsPid(d)).map((d) => `${d.name} (pid ${d.pid})`);
  }

  /**
   * A short report for failed tests: daemons alive or dead, SB flow/binding summary, log tails
   * of northd and ovn-controller.
   */
  async diagnostics(): Promise<string> {
    const out: string[] = [`[e2e ${this.label}] dir ${this.dir}, northd=${this.northdKind ?? '-'}`];
    out.push(`daemons: ${this.daemons.map((d) => `${d.name}:${ownsPid(d) ? 'up' : 'DEAD'}`).join(' ')}`);
    try {
      const flows = await this.query('sb', 'Logical_Flow', { columns: ['_uuid'] });
      const pbs = await this.query('sb', 'Port_Binding', { columns: ['logical_port', 'chassis', 'up', 'type'] });
      const nbg = await this.query('nb', 'NB_Global', { columns: ['nb_cfg', 'sb_cfg', 'hv_cfg'] });
      out.push(`SB: ${flows.length} logical flows; NB_Global ${JSON.stringify(nbg[0] ?? null)}`);
      out.push(
        `SB Port_Binding: ${pbs
          .map((p) => `${String(p.logical_port)}${p.type ? `(${String(p.type)})` : ''} chassis=${asArray(p.chassis).length ? 'set' : '-'} up=${JSON.stringify(p.up)}`)
          .join(', ')}`,
      );
    } catch (err) {
      out.push(`(db query failed: ${(err as Error).message.split('\n')[0]})`);
    }
    const logs: [string, boolean][] = [
      [`${this.dir}/northd.log`, false],
      ...this.chassisList.map((c): [string, boolean] => [`${c.dir}/ovn-controller.log`, true]),
    ];
    for (const [log, onlyProblems] of logs) {
      try {
        let lines = readFileSync(log, 'utf8').trimEnd().split('\n');
        // ovn-controller logs a lot of INFO; keep its warnings and errors only.
        if (onlyProblems) lines = lines.filter((l) => /\|(WARN|ERR|EMER)\|/.test(l));
        out.push(`--- ${log} (${onlyProblems ? 'warnings/errors, ' : ''}last 12 lines)`, ...lines.slice(-12));
      } catch {
        /* no such log */
      }
    }
    return out.join('\n');
  }

  // ---------------------------------------------------------------- teardown

  /**
   * Stops everything this environment started (by PID), deletes its namespaces and temp dir.
   * Idempotent; never throws.
   */
  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    liveEnvs.delete(this);
    for (const c of this.children) c.kill('SIGKILL');
    // Reverse start order: ovn-controller, vswitchd, chassis db, then northd, SB, NB.
    await Promise.all(
      [...this.daemons].reverse().map((d) => stopPid(d).catch(() => undefined)),
    );
    for (const ns of [...this.netnsList].reverse()) {
      await run('ip', ['netns', 'del', ns], { allowFail: true, timeoutMs: 5000 });
    }
    this.removeDir();
  }

  /** Synchronous best-effort teardown for the process 'exit'/signal hooks. */
  teardownSync(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    liveEnvs.delete(this);
    for (const c of this.children) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* ignore */
      }
    }
    for (const d of [...this.daemons].reverse()) {
      if (ownsPid(d)) {
        try {
          process.kill(d.pid, 'SIGKILL');
        } catch {
          /* ignore */
        }
      }
    }
    for (const ns of this.netnsList) runSyncQuiet('ip', ['netns', 'del', ns]);
    this.removeDir();
  }

  private removeDir(): void {
    if (process.env.E2E_KEEP) {
      // eslint-disable-next-line no-console
      console.error(`[e2e ${this.label}] keeping ${this.dir}`);
      return;
    }
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      /* ignore */
    }
  }
}

/**
 * One hypervisor: ovsdb-server (conf.db), ovs-vswitchd (netdev) in netns `netns`, ovn-controller.
 */
export class Chassis {
  /** `unix:` remote of this chassis's conf.db. */
  readonly dbRemote: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly e2e: E2E,
    /** Chassis name = `external_ids:system-id` = SB Chassis name. */
    readonly name: string,
    readonly dir: string,
    /** Netns where ovs-vswitchd and ovn-controller run. */
    readonly netns: string,
  ) {
    this.dbRemote = `unix:${dir}/db.sock`;
    this.env = toolEnv(dir);
  }

  /** Runs ovs-vsctl against this chassis's conf.db. */
  async vsctl(args: string[], timeoutMs = 10_000): Promise<string> {
    const r = await run('ovs-vsctl', [`--db=${this.dbRemote}`, `--timeout=${Math.ceil(timeoutMs / 1000)}`, ...args], {
      env: this.env,
      timeoutMs: timeoutMs + 3000,
    });
    return r.stdout.trim();
  }

  /** Runs a command inside the chassis netns (e.g. `ovs-appctl`, `ovs-ofctl`) with the chassis env. */
  async exec(cmd: string, args: string[], timeoutMs = 10_000): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.netns, cmd, ...args], { env: this.env, timeoutMs });
  }

  /** @internal called by E2E.addChassis */
  async start(opts: ChassisOptions): Promise<void> {
    const e = this.e2e;
    const d = this.dir;
    mkdirSync(d, { recursive: true });
    await run('ovsdb-tool', ['create', `${d}/conf.db`, '/usr/share/openvswitch/vswitch.ovsschema'], { env: this.env });
    await e.startDetached(`${this.name}-ovsdb-server`, 'ovsdb-server', [
      '--detach',
      '--no-chdir',
      `--pidfile=${d}/ovsdb.pid`,
      `--log-file=${d}/ovsdb.log`,
      `--remote=punix:${d}/db.sock`,
      `--unixctl=${d}/ovsdb.ctl`,
      `${d}/conf.db`,
    ], `${d}/ovsdb.pid`, this.env);
    await waitFor(() => existsSync(`${d}/db.sock`), { timeoutMs: 5000, what: 'chassis db.sock' });
    await this.vsctl(['--no-wait', 'init']);
    await e.addNetns(this.name);
    await e.startDetached(
      `${this.name}-vswitchd`,
      'ovs-vswitchd',
      ['--detach', '--no-chdir', `--pidfile=${d}/vswitchd.pid`, `--log-file=${d}/vswitchd.log`, `--unixctl=${d}/vswitchd.ctl`, this.dbRemote],
      `${d}/vswitchd.pid`,
      this.env,
      15_000,
      ['ip', 'netns', 'exec', this.netns],
    );
    const mappings = Object.entries(opts.bridgeMappings ?? {});
    await this.vsctl([
      'add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'fail-mode=secure',
      'other-config:disable-in-band=true',
      ...mappings.flatMap(([, br]) => ['--', 'add-br', br, '--', 'set', 'bridge', br, 'datapath_type=netdev']),
      '--', 'set', 'open', '.',
      `external-ids:system-id=${this.name}`,
      `external-ids:hostname=${this.name}`,
      `external-ids:ovn-remote=${e.sbRemote}`,
      'external-ids:ovn-encap-type=geneve',
      `external-ids:ovn-encap-ip=${opts.encapIp ?? '127.0.0.1'}`,
      'external-ids:ovn-bridge=br-int',
      'external-ids:ovn-bridge-datapath-type=netdev',
      ...(mappings.length ? [`external-ids:ovn-bridge-mappings=${mappings.map(([n, br]) => `${n}:${br}`).join(',')}`] : []),
    ]);
    for (const [, br] of mappings) await this.exec('ip', ['link', 'set', br, 'up']);
    // ovn-controller 23.03.1 segfaults while SB has no SB_Global row.
    await e.waitSbGlobal(opts.sbGlobalTimeoutMs ?? 20_000);
    await e.startDetached(
      `${this.name}-ovn-controller`,
      'ovn-controller',
      ['--detach', '--no-chdir', `--pidfile=${d}/ovn-controller.pid`, `--log-file=${d}/ovn-controller.log`, this.dbRemote],
      `${d}/ovn-controller.pid`,
      this.env,
      15_000,
      ['ip', 'netns', 'exec', this.netns],
    );
    await waitFor(
      async () => (await e.query('sb', 'Chassis', { where: [['name', '==', this.name]], columns: ['name'] })).length > 0,
      { timeoutMs: opts.chassisTimeoutMs ?? 20_000, intervalMs: 200, what: `SB Chassis ${this.name} (ovn-controller registration)` },
    );
  }

  /**
   * Adds a VM: netns `<prefix>-<name>` with one veth end (MAC/IP, optional default route, IPv6
   * off, tx checksum offload off, ARP retrans 100 ms), the other end on br-int with
   * `external_ids:iface-id=<lsp>`.
   */
  async addVm(name: string, opts: VmOptions): Promise<Vm> {
    return this.plug(name, 'br-int', opts.mac, opts.ip, opts.gateway, ['--', 'set', 'interface', '{IF}', `external-ids:iface-id=${opts.lsp}`]);
  }

  /** Adds a "physical host": like a VM but plugged into `bridge` (e.g. the bridge of a localnet mapping). */
  async addPhysHost(name: string, opts: PhysHostOptions): Promise<Vm> {
    return this.plug(name, opts.bridge, opts.mac, opts.ip, opts.gateway, []);
  }

  private async plug(name: string, bridge: string, mac: string, ip: string | undefined, gateway: string | undefined, extra: string[]): Promise<Vm> {
    const e = this.e2e;
    const ns = await e.addNetns(name);
    const ovsIf = e.ifName('h');
    const vmIf = e.ifName('v');
    // Created inside the chassis netns with the peer directly in the VM netns: neither end ever
    // lives in the root netns.
    await this.exec('ip', ['link', 'add', ovsIf, 'type', 'veth', 'peer', 'name', vmIf, 'netns', ns]);
    const inNs = (args: string[]) => run('ip', ['netns', 'exec', ns, ...args], { timeoutMs: 5000 });
    await inNs(['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    await inNs(['ip', 'link', 'set', vmIf, 'address', mac]);
    if (ip) await inNs(['ip', 'addr', 'add', ip, 'dev', vmIf]);
    await inNs(['sysctl', '-q', '-w', `net.ipv4.neigh.${vmIf}.retrans_time_ms=100`]);
    await inNs(['ip', 'link', 'set', vmIf, 'up']);
    await inNs(['ethtool', '-K', vmIf, 'tx', 'off']);
    if (ip && gateway) await inNs(['ip', 'route', 'add', 'default', 'via', gateway, 'dev', vmIf]);
    await this.exec('ip', ['link', 'set', ovsIf, 'up']);
    await this.exec('ethtool', ['-K', ovsIf, 'tx', 'off']);
    await this.vsctl(['add-port', bridge, ovsIf, ...extra.map((x) => (x === '{IF}' ? ovsIf : x))]);
    return new Vm(e, name, ns, vmIf, mac, ip ? ip.split('/')[0]! : '');
  }
}

/** Result of `Vm.arping`. */
export interface ArpingResult {
  /** MACs of the replies received, in order. */
  replies: string[];
  output: string;
}

/** Result of `Vm.httpGet`. */
export interface HttpResult {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

/** A network namespace with one interface (a VM or a physical host). */
export class Vm {
  constructor(
    readonly e2e: E2E,
    readonly name: string,
    /** The netns. */
    readonly ns: string,
    /** The interface inside the netns. */
    readonly ifname: string,
    readonly mac: string,
    /** The IPv4 address (no prefix); '' for a VM added without an address. */
    readonly ip: string,
  ) {}

  /** Runs a command inside the VM (bounded; does not throw on failure unless `check`). */
  exec(cmd: string, args: string[], opts: { timeoutMs?: number; check?: boolean } = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.ns, cmd, ...args], {
      timeoutMs: opts.timeoutMs ?? 10_000,
      allowFail: !opts.check,
    });
  }

  /** One ping (1 s reply timeout); true if answered. */
  async pingOnce(dst: string): Promise<boolean> {
    const r = await this.exec('ping', ['-n', '-c', '1', '-W', '1', dst], { timeoutMs: 4000 });
    return r.code === 0;
  }

  /** Pings until a reply or `timeoutMs`; throws WaitTimeoutError with a clear message otherwise. */
  async waitPing(dst: string, timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.pingOnce(dst), { timeoutMs, intervalMs: 50, what: `ping ${this.name} (${this.ip}) → ${dst}` });
  }

  /**
   * ARP-pings `dst` (iputils arping, `count` requests, `deadlineS` s deadline) and returns the
   * MACs of all replies.
   */
  async arping(dst: string, count = 2, deadlineS = 3): Promise<ArpingResult> {
    const r = await this.exec('arping', ['-c', String(count), '-w', String(deadlineS), '-I', this.ifname, dst], {
      timeoutMs: (deadlineS + 3) * 1000,
    });
    const output = r.stdout + r.stderr;
    const replies = [...output.matchAll(/reply from \S+ \[([0-9a-fA-F:]{17})\]/g)].map((m) => m[1]!.toLowerCase());
    return { replies, output };
  }

  /** Sets a sysctl inside the VM. */
  async sysctl(key: string, value: string | number): Promise<void> {
    await this.exec('sysctl', ['-q', '-w', `${key}=${value}`], { check: true });
  }

  /** Static neighbour entry `ip` → `mac` on the VM's interface. */
  async setNeighbour(ip: string, mac: string): Promise<void> {
    await this.exec('ip', ['neigh', 'replace', ip, 'lladdr', mac, 'dev', this.ifname, 'nud', 'permanent'], { check: true });
  }

  /**
   * Starts an HTTP server in the VM (Node, no dependencies) on `port` answering `body` to every
   * request; resolves once it listens. Killed at teardown (and exits by itself if we die).
   */
  async serveHttp(port: number, body: string, bind = '0.0.0.0'): Promise<ChildProcess> {
    const code =
      `const [port,bind,body,ppid]=process.argv.slice(1);` +
      `const s=require('http').createServer((q,r)=>{r.setHeader('connection','close');r.end(body)});` +
      `s.listen(+port,bind,()=>console.log('listening'));` +
      `setInterval(()=>{try{process.kill(+ppid,0)}catch{process.exit(0)}},1000);`;
    return this.e2e.spawnUntil(
      'ip',
      ['netns', 'exec', this.ns, process.execPath, '-e', code, String(port), bind, body, String(process.pid)],
      /listening/,
    );
  }

  /** One HTTP GET from the VM (Node client, `timeoutMs` overall). Never throws. */
  async httpGet(url: string, timeoutMs = 3000): Promise<HttpResult> {
    const code =
      `const [url,ms]=process.argv.slice(1);` +
      `const t=setTimeout(()=>{console.log(JSON.stringify({ok:false,error:'timeout'}));process.exit(0)},+ms);` +
      `require('http').get(url,{agent:false},res=>{let b='';res.setEncoding('utf8');res.on('data',d=>b+=d);` +
      `res.on('end',()=>{console.log(JSON.stringify({ok:true,status:res.statusCode,body:b}));process.exit(0)})})` +
      `.on('error',e=>{console.log(JSON.stringify({ok:false,error:String(e.message)}));process.exit(0)});`;
    const r = await this.exec(process.execPath, ['-e', code, url, String(timeoutMs)], { timeoutMs: timeoutMs + 5000 });
    try {
      return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as HttpResult;
    } catch {
      return { ok: false, error: `client failed: ${tail(r.stderr || r.stdout, 300)}` };
    }
  }

  /**
   * `count` sequential HTTP GETs from one client process in the VM (each a new connection, so a
   * new source port), each bounded by `perRequestMs`. Never throws.
   */
  async httpGetMany(url: string, count: number, perRequestMs = 2000): Promise<HttpResult[]> {
    const code =
      `const [url,n,ms]=process.argv.slice(1);const http=require('http');` +
      `const one=()=>new Promise(ok=>{const t=setTimeout(()=>{q.destroy();ok({ok:false,error:'timeout'})},+ms);` +
      `const q=http.get(url,{agent:false},res=>{let b='';res.setEncoding('utf8');res.on('data',d=>b+=d);` +
      `res.on('end',()=>{clearTimeout(t);ok({ok:true,status:res.statusCode,body:b})})});` +
      `q.on('error',e=>{clearTimeout(t);ok({ok:false,error:String(e.message)})})});` +
      `(async()=>{const out=[];for(let i=0;i<+n;i++)out.push(await one());console.log(JSON.stringify(out));process.exit(0)})();`;
    const r = await this.exec(process.execPath, ['-e', code, url, String(count), String(perRequestMs)], {
      timeoutMs: count * perRequestMs + 5000,
    });
    try {
      return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as HttpResult[];
    } catch {
      return [{ ok: false, error: `client failed: ${tail(r.stderr || r.stdout, 300)}` }];
    }
  }

  /** Polls `httpGet` until it succeeds or `timeoutMs`; returns the successful result. */
  async waitHttp(url: string, timeoutMs = 15_000): Promise<HttpResult> {
    return waitFor(
      async () => {
        const r = await this.httpGet(url, 1500);
        if (!r.ok) throw new Error(r.error);
        return r;
      },
      { timeoutMs, intervalMs: 100, what: `HTTP GET ${url} from ${this.name}` },
    );
  }

  /**
   * Opens a TCP connection attempt (sends a SYN) to `ip:port` and gives up after `timeoutMs`.
   * Returns 'connected', 'refused'/'error: …' or 'timeout'.
   */
  async tcpConnect(ip: string, port: number, timeoutMs = 1000): Promise<string> {
    const code =
      `const [h,p,ms]=process.argv.slice(1);const s=require('net').connect(+p,h);` +
      `const t=setTimeout(()=>{console.log('timeout');process.exit(0)},+ms);` +
      `s.on('connect',()=>{console.log('connected');process.exit(0)});` +
      `s.on('error',e=>{console.log(e.code==='ECONNREFUSED'?'refused':'error: '+e.message);process.exit(0)});`;
    const r = await this.exec(process.execPath, ['-e', code, ip, String(port), String(timeoutMs)], { timeoutMs: timeoutMs + 5000 });
    return r.stdout.trim() || `error: ${tail(r.stderr, 200)}`;
  }
}

// ------------------------------------------------------------------ helpers

/** Environments not torn down yet: cleaned up synchronously if the process exits or is killed. */
const liveEnvs = new Set<E2E>();
let hooksInstalled = false;

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const env of [...liveEnvs]) env.teardownSync();
  });
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    const onSignal = (): void => {
      for (const env of [...liveEnvs]) env.teardownSync();
      // Then die of the signal as if we had not caught it (unless someone else handles it).
      process.removeListener(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

function toolEnv(rundir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['OVN_NB_DAEMON', 'OVN_SB_DAEMON', 'OVN_NB_DB', 'OVN_SB_DB', 'OVS_DBDIR', 'OVN_DBDIR']) delete env[k];
  return {
    ...env,
    OVS_RUNDIR: rundir,
    OVS_LOGDIR: rundir,
    OVS_DBDIR: rundir,
    OVS_SYSCONFDIR: rundir,
    OVN_RUNDIR: rundir,
    OVN_LOGDIR: rundir,
    OVN_DBDIR: rundir,
    OVN_SYSCONFDIR: rundir,
  };
}

function readPid(pidfile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidfile, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True if `d.pid` is alive and still the process we started (its cmdline mentions our mark). */
function ownsPid(d: DaemonRecord): boolean {
  try {
    const cmdline = readFileSync(`/proc/${d.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return cmdline.includes(d.mark);
  } catch {
    return false;
  }
}

async function stopPid(d: DaemonRecord): Promise<void> {
  if (!ownsPid(d)) return;
  try {
    process.kill(d.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    if (!ownsPid(d)) return;
    await sleep(50);
  }
  try {
    process.kill(d.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
