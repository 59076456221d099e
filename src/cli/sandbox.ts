// `ovn-northd-ts sandbox`: real NB and SB ovsdb-servers in a private
// directory, our daemon against them, the seed topology (switch ls1 with two
// ports behind port security, and a load balancer whose VIP has no backends
// with controller_event=true), then the flows the daemon produced.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeout = 20_000): Promise<string> {
  const { stdout } = await run(cmd, args, { env, timeout, maxBuffer: 64 << 20 });
  return stdout;
}

function pidOf(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The seed topology, as a CMS would write it. */
export const SEED_COMMANDS: readonly string[][] = [
  ['ls-add', 'ls1'],
  ['lsp-add', 'ls1', 'ls1-node1-ns1'],
  ['lsp-set-addresses', 'ls1-node1-ns1', '00:00:00:00:00:01 192.168.1.10'],
  ['lsp-set-port-security', 'ls1-node1-ns1', '00:00:00:00:00:01 192.168.1.10'],
  ['lsp-add', 'ls1', 'ls1-node2-ns1'],
  ['lsp-set-addresses', 'ls1-node2-ns1', '00:00:00:00:00:02 192.168.1.20'],
  ['lsp-set-port-security', 'ls1-node2-ns1', '00:00:00:00:00:02 192.168.1.20'],
  ['set', 'NB_Global', '.', 'options:controller_event=true'],
  ['lb-add', 'lb-idle', '192.168.1.100:80', '', 'tcp'],
  ['ls-lb-add', 'ls1', 'lb-idle'],
];

export async function sandboxMain(argv: string[]): Promise<number> {
  const once = argv.includes('--once');
  const dirArg = argv.indexOf('--dir');
  const dir = dirArg >= 0 && argv[dirArg + 1] ? resolve(argv[dirArg + 1]!) : mkdtempSync(join(tmpdir(), 'ovn-northd-ts-sandbox-'));
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, OVN_NB_DB: `unix:${dir}/nb.sock`, OVN_SB_DB: `unix:${dir}/sb.sock`, OVN_RUNDIR: dir };
  const pids: string[] = [];
  let daemon: ChildProcess | undefined;
  const cleanup = () => {
    daemon?.kill('SIGTERM');
    for (const p of pids) {
      const pid = pidOf(p);
      if (pid) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    }
  };
  try {
    for (const db of ['nb', 'sb'] as const) {
      const file = join(dir, `${db}.db`);
      if (!existsSync(file)) await sh('ovsdb-tool', ['create', file, `/usr/share/ovn/ovn-${db}.ovsschema`], env);
      await sh('ovsdb-server', ['--detach', '--no-chdir', `--pidfile=${dir}/${db}.pid`, `--log-file=${dir}/${db}.log`, `--remote=punix:${dir}/${db}.sock`, `--unixctl=${dir}/${db}.ctl`, file], env);
      pids.push(`${dir}/${db}.pid`);
    }
    const bin = fileURLToPath(new URL('../../bin/ovn-northd-ts.js', import.meta.url));
    daemon = spawn(process.execPath, [bin, `--ovnnb-db=${env.OVN_NB_DB}`, `--ovnsb-db=${env.OVN_SB_DB}`, `--log-file=${dir}/northd.log`, `--unixctl=${dir}/northd.ctl`, `--pidfile=${dir}/northd.pid`, '-vconsole:off'], { env, stdio: 'inherit' });
    process.stdout.write(`sandbox in ${dir}\n  export OVN_NB_DB=${env.OVN_NB_DB} OVN_SB_DB=${env.OVN_SB_DB}\n`);
    for (const c of SEED_COMMANDS) await sh('ovn-nbctl', c, env);
    const waited = await sh('ovn-nbctl', ['--wait=sb', '--timeout=30', '--print-wait-time', 'sync'], env, 40_000);
    process.stdout.write(`seed topology written; ${waited.trim().split('\n').pop()}\n\n`);
    process.stdout.write(await sh('ovn-sbctl', ['--dry-run', 'lflow-list'], env));
    if (once) return 0;
    process.stdout.write(`\nThe daemon keeps running (log: ${dir}/northd.log; ovn-appctl -t ${dir}/northd.ctl status). Ctrl-C stops everything.\n`);
    await new Promise<void>((r) => {
      process.once('SIGINT', r);
      process.once('SIGTERM', r);
      daemon!.once('exit', r);
    });
    return 0;
  } finally {
    cleanup();
  }
}
