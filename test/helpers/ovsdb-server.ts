/**
 * Test harness: real ovsdb-server processes in private temp dirs with unix
 * sockets. Standalone servers and 3-member RAFT clusters; SIGKILL/restart;
 * every process is killed by its PID (from the pidfile/child handle, never
 * by name) and every temp dir removed, also when the test process exits
 * early (the exit hook is a safety net only: vitest may end workers without
 * an 'exit' event, so tests must call stop()/close()). All waits are bounded.
 *
 * ```ts
 * const srv = await startOvsdbServer({ schema: NB_SCHEMA });   // srv.remote = 'unix:/tmp/…/db.sock'
 * await ovsdbClient(['transact', srv.remote, JSON.stringify(['OVN_Northbound', op])]);
 * await srv.kill();  await srv.restart();  await srv.stop();
 *
 * const cl = await startOvsdbCluster({ schema: NB_SCHEMA });   // cl.remote = 'unix:a,unix:b,unix:c'
 * const i = await cl.waitForLeader(10_000);  await cl.servers[i]!.kill();
 * await cl.stop();
 * ```
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Path of the OVN_Northbound schema in the repo. */
export const NB_SCHEMA = path.resolve(here, '../../schemas/ovn-nb.ovsschema');
/** Path of the OVN_Southbound schema in the repo. */
export const SB_SCHEMA = path.resolve(here, '../../schemas/ovn-sb.ovsschema');

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) {
      try {
        if (c.pid) process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const d of tempDirs) {
      try {
        fs.rmSync(d, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  });
}

/** A fresh private temp dir (short path: unix socket paths are limited to 108 bytes). Removed at exit. */
export function makeTempDir(prefix = 'ovsdbt-'): string {
  installExitHook();
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

/** Remove a temp dir made by makeTempDir. */
export function removeTempDir(d: string): void {
  fs.rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}

/** Run a program; resolves with stdout, rejects with stderr on failure or after timeoutMs. */
export function run(cmd: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Run `ovsdb-client ARGS…` (e.g. `['transact', remote, json]`), bounded by timeoutMs. */
export function ovsdbClient(args: readonly string[], timeoutMs = 10_000): Promise<string> {
  return run('ovsdb-client', args, timeoutMs);
}

/** `ovsdb-client transact REMOTE [DB, ...ops]`, returning the parsed JSON result. */
export async function ovsdbTransact(remote: string, db: string, ops: readonly unknown[], timeoutMs = 10_000): Promise<unknown[]> {
  const out = await ovsdbClient(['transact', remote, JSON.stringify([db, ...ops])], timeoutMs);
  return JSON.parse(out) as unknown[];
}

/** Poll `check` every `intervalMs` until it returns true; throws after timeoutMs. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition', intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // treat as not yet
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function canConnect(sockPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path: sockPath });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface OvsdbServer {
  /** Directory holding the db file, socket, pidfile, log and unixctl socket. */
  readonly dir: string;
  readonly dbFile: string;
  readonly sockPath: string;
  /** `unix:<sockPath>`, for clients. */
  readonly remote: string;
  readonly ctlPath: string;
  readonly logPath: string;
  readonly pidFile: string;
  /** PID of the running server, or undefined. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Kill the server (default SIGKILL) and wait (bounded) until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same db file and socket; waits until it accepts connections. */
  restart(): Promise<void>;
  /** Kill it and remove its directory (if the harness created it). */
  stop(): Promise<void>;
  /** `ovs-appctl -t <ctl> ARGS…`. */
  appctl(...args: string[]): Promise<string>;
}

export interface StartServerOptions {
  /** Schema file for a new standalone db (ignored when dbFile exists). */
  readonly schema?: string;
  /** Existing db file to serve (e.g. a cluster member); created from `schema` if absent. */
  readonly dbFile?: string;
  /** Directory to use (default: a fresh temp dir owned and removed by the harness). */
  readonly dir?: string;
  /** Basename for files in dir (default "db"). */
  readonly name?: string;
  readonly extraArgs?: readonly string[];
  /** Bounded wait for the socket (default 10 s). */
  readonly startTimeoutMs?: number;
}

class ServerProcess implements OvsdbServer {
  readonly remote: string;
  readonly ctlPath: string;
  readonly logPath: string;
  readonly pidFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly dbFile: string,
    readonly sockPath: string,
    name: string,
    private readonly ownsDir: boolean,
    private readonly extraArgs: readonly string[],
    private readonly startTimeoutMs: number,
  ) {
    this.remote = `unix:${sockPath}`;
    this.ctlPath = path.join(dir, `${name}.ctl`);
    this.logPath = path.join(dir, `${name}.log`);
    this.pidFile = path.join(dir, `${name}.pid`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('already running');
    installExitHook();
    const args = [
      '--no-chdir',
      `--pidfile=${this.pidFile}`,
      `--log-file=${this.logPath}`,
      `--remote=punix:${this.sockPath}`,
      `--unixctl=${this.ctlPath}`,
      '-vconsole:off',
      ...this.extraArgs,
      this.dbFile,
    ];
    const child = spawn('ovsdb-server', args, { stdio: 'ignore' });
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
      child.once('error', () => {
        live.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    await waitUntil(
      async () => {
        if (!this.child) throw new Error('exited');
        return canConnect(this.sockPath);
      },
      this.startTimeoutMs,
      `ovsdb-server socket ${this.sockPath}`,
    ).catch((e: Error) => {
      let log = '';
      try {
        log = fs.readFileSync(this.logPath, 'utf8').slice(-2000);
      } catch {
        // no log
      }
      throw new Error(`${e.message}\n${log}`);
    });
  }

  private pidFromFile(): number | undefined {
    try {
      const n = Number(fs.readFileSync(this.pidFile, 'utf8').trim());
      return Number.isInteger(n) && n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    // The pidfile PID is the child's PID (no --detach); prefer the pidfile as documented.
    const pid = this.pidFromFile() === child.pid ? this.pidFromFile() : child.pid;
    try {
      if (pid) process.kill(pid, signal);
    } catch {
      // already gone
    }
    const t = setTimeout(() => {
      try {
        if (child.pid) process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5000);
    await this.exited;
    clearTimeout(t);
    // A SIGKILLed server leaves its socket and pidfile behind.
    for (const f of [this.sockPath, this.ctlPath, this.pidFile]) fs.rmSync(f, { force: true });
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
    if (this.ownsDir) removeTempDir(this.dir);
  }

  appctl(...args: string[]): Promise<string> {
    return run('ovs-appctl', ['-t', this.ctlPath, ...args]);
  }
}

/** Start a standalone ovsdb-server (creating the db from `schema` unless `dbFile` exists). */
export async function startOvsdbServer(opts: StartServerOptions): Promise<OvsdbServer> {
  const ownsDir = opts.dir === undefined;
  const dir = opts.dir ?? makeTempDir();
  const name = opts.name ?? 'db';
  const dbFile = opts.dbFile ?? path.join(dir, `${name}.db`);
  if (!fs.existsSync(dbFile)) {
    if (!opts.schema) throw new Error('startOvsdbServer: need schema or an existing dbFile');
    await run('ovsdb-tool', ['create', dbFile, opts.schema]);
  }
  const s = new ServerProcess(dir, dbFile, path.join(dir, `${name}.sock`), name, ownsDir, opts.extraArgs ?? [], opts.startTimeoutMs ?? 10_000);
  await s.start();
  return s;
}

export interface OvsdbCluster {
  readonly dir: string;
  /** The database name (from the schema). */
  readonly dbName: string;
  readonly servers: readonly OvsdbServer[];
  /** Comma-separated unix remotes of all members. */
  readonly remote: string;
  /** Index of the current leader among running members, or -1. */
  leaderIndex(): Promise<number>;
  /** Wait (bounded) until some running member is leader and all running members are connected. */
  waitForLeader(timeoutMs?: number): Promise<number>;
  /** Kill all members and remove the directory. */
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  readonly schema: string;
  /** Number of members (default 3). */
  readonly size?: number;
  /** RAFT election timer in ms (default 1000, as ovsdb-tool). */
  readonly electionTimerMs?: number;
  readonly startTimeoutMs?: number;
}

interface ServerDbStatus {
  connected: boolean;
  leader: boolean;
}

/** Query `_Server.Database` of one server for `db` (bounded). */
export async function serverDbStatus(remote: string, db: string, timeoutMs = 3000): Promise<ServerDbStatus | undefined> {
  const res = await ovsdbTransact(
    remote,
    '_Server',
    [{ op: 'select', table: 'Database', where: [['name', '==', db]], columns: ['connected', 'leader'] }],
    timeoutMs,
  );
  const rows = (res[0] as { rows?: { connected: boolean; leader: boolean }[] }).rows ?? [];
  return rows[0];
}

/** Create and start a RAFT cluster (members talk over unix sockets in a private dir). */
export async function startOvsdbCluster(opts: StartClusterOptions): Promise<OvsdbCluster> {
  const size = opts.size ?? 3;
  const dir = makeTempDir('ovsdbc-');
  const schemaJson = JSON.parse(fs.readFileSync(opts.schema, 'utf8')) as { name: string };
  const dbName = schemaJson.name;
  const raft = (i: number): string => `unix:${path.join(dir, `s${i}.raft`)}`;
  const dbFile = (i: number): string => path.join(dir, `s${i}.db`);
  await run('ovsdb-tool', [`--election-timer=${opts.electionTimerMs ?? 1000}`, 'create-cluster', dbFile(0), opts.schema, raft(0)]);
  for (let i = 1; i < size; i++) {
    await run('ovsdb-tool', ['join-cluster', dbFile(i), dbName, raft(i), raft(0)]);
  }
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const s = new ServerProcess(dir, dbFile(i), path.join(dir, `s${i}.sock`), `s${i}`, false, [], opts.startTimeoutMs ?? 10_000);
      await s.start();
      servers.push(s);
    }
  } catch (e) {
    for (const s of servers) await s.kill();
    removeTempDir(dir);
    throw e;
  }
  const cluster: OvsdbCluster = {
    dir,
    dbName,
    servers,
    remote: servers.map((s) => s.remote).join(','),
    async leaderIndex() {
      for (let i = 0; i < servers.length; i++) {
        if (!servers[i]!.running) continue;
        try {
          const st = await serverDbStatus(servers[i]!.remote, dbName);
          if (st?.leader) return i;
        } catch {
          // not answering
        }
      }
      return -1;
    },
    async waitForLeader(timeoutMs = 15_000) {
      let leader = -1;
      await waitUntil(
        async () => {
          leader = -1;
          for (let i = 0; i < servers.length; i++) {
            if (!servers[i]!.running) continue;
            const st = await serverDbStatus(servers[i]!.remote, dbName);
            if (!st?.connected) return false;
            if (st.leader) leader = i;
          }
          return leader >= 0;
        },
        timeoutMs,
        'a RAFT leader',
        100,
      );
      return leader;
    },
    async stop() {
      for (const s of servers) await s.kill();
      removeTempDir(dir);
    },
  };
  return cluster;
}

export interface UnixProxy {
  /** `unix:<path>` of the proxy, for clients. */
  readonly remote: string;
  readonly sockPath: string;
  /** Number of client connections accepted so far. */
  readonly connections: number;
  /**
   * Enable/disable forwarding. Disabling drops every proxied connection and
   * makes new ones close immediately (the client sees a server going away).
   */
  setEnabled(on: boolean): void;
  close(): Promise<void>;
}

/**
 * A unix-socket proxy in front of `targetSockPath`, to cut a client off from
 * a server (and let it back) without touching the server.
 */
export async function startUnixProxy(targetSockPath: string, dirArg?: string): Promise<UnixProxy> {
  const dir = dirArg ?? makeTempDir('ovsdbp-');
  const sockPath = path.join(dir, `proxy-${process.pid}-${Math.random().toString(36).slice(2, 8)}.sock`);
  let enabled = true;
  let connections = 0;
  const pairs = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    if (!enabled) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ path: targetSockPath });
    pairs.add(client);
    pairs.add(upstream);
    const done = (): void => {
      client.destroy();
      upstream.destroy();
      pairs.delete(client);
      pairs.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sockPath, () => resolve());
  });
  return {
    remote: `unix:${sockPath}`,
    sockPath,
    get connections() {
      return connections;
    },
    setEnabled(on: boolean) {
      enabled = on;
      if (!on) for (const s of [...pairs]) s.destroy();
    },
    close() {
      for (const s of [...pairs]) s.destroy();
      return new Promise<void>((resolve) =>
        server.close(() => {
          if (dirArg === undefined) removeTempDir(dir);
          else fs.rmSync(sockPath, { force: true });
          resolve();
        }),
      );
    },
  };
}
