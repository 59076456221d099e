// Test helper (not a test): private ovsdb-servers (+ optionally the reference
// ovn-northd) in a temp dir, as described in /work/shared/REFERENCE.md.
// Daemons are stopped by the PIDs in their own pidfiles.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NB_SCHEMA = '/usr/share/ovn/ovn-nb.ovsschema';
const SB_SCHEMA = '/usr/share/ovn/ovn-sb.ovsschema';

function which(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ovnToolsAvailable(withNorthd = false): boolean {
  return (
    which('ovsdb-server') &&
    which('ovsdb-tool') &&
    which('ovsdb-client') &&
    which('ovn-nbctl') &&
    existsSync(NB_SCHEMA) &&
    existsSync(SB_SCHEMA) &&
    (!withNorthd || (which('ovn-northd') && which('ovn-sbctl')))
  );
}

export interface OvnEnv {
  readonly dir: string;
  readonly nbSock: string;
  readonly sbSock: string;
  readonly nbDb: string;
  nbctl(...args: string[]): string;
  sbctl(...args: string[]): string;
  run(cmd: string, ...args: string[]): string;
  stop(): void;
}

export function startOvn(opts: { northd?: boolean } = {}): OvnEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ovnts-model-'));
  const run = (cmd: string, ...args: string[]): string =>
    execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const pidfiles: string[] = [];
  const server = (name: string, schema: string): void => {
    run('ovsdb-tool', 'create', join(dir, `${name}.db`), schema);
    run(
      'ovsdb-server',
      '--detach',
      '--no-chdir',
      `--pidfile=${dir}/${name}.pid`,
      `--log-file=${dir}/${name}.log`,
      `--remote=punix:${dir}/${name}.sock`,
      `--unixctl=${dir}/${name}.ctl`,
      join(dir, `${name}.db`),
    );
    pidfiles.push(`${dir}/${name}.pid`);
  };
  const env: OvnEnv = {
    dir,
    nbSock: `${dir}/nb.sock`,
    sbSock: `${dir}/sb.sock`,
    nbDb: `${dir}/nb.db`,
    nbctl: (...args) => run('ovn-nbctl', `--db=unix:${dir}/nb.sock`, ...args),
    sbctl: (...args) => run('ovn-sbctl', `--db=unix:${dir}/sb.sock`, ...args),
    run,
    stop: () => {
      for (const pf of pidfiles) {
        try {
          const pid = Number(readFileSync(pf, 'utf8').trim());
          if (pid > 0) process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      // give daemons a moment to exit before removing their files
      const deadline = Date.now() + 3000;
      for (const pf of pidfiles) {
        while (existsSync(pf) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    server('nb', NB_SCHEMA);
    server('sb', SB_SCHEMA);
    if (opts.northd) {
      run(
        'ovn-northd',
        '--detach',
        '--no-chdir',
        `--pidfile=${dir}/northd.pid`,
        `--log-file=${dir}/northd.log`,
        `--ovnnb-db=unix:${dir}/nb.sock`,
        `--ovnsb-db=unix:${dir}/sb.sock`,
        `--unixctl=${dir}/northd.ctl`,
      );
      pidfiles.unshift(`${dir}/northd.pid`);
    }
  } catch (e) {
    env.stop();
    throw e;
  }
  return env;
}
