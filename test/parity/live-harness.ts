// Side-by-side runs: the reference ovn-northd and ovn-northd-ts, each on its
// own pair of real ovsdb-servers started from the same NB snapshot and the
// same SB inputs (the scenario's SB with every northd-owned row removed).
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTempDir, ovsdbTransact, startOvsdbServer, type OvsdbServer } from '../helpers/ovsdb-server.js';
import { parseDbFile } from '../../src/ovsdb/dbfile.js';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import { SB_INPUT_TABLES } from '../../src/replay/replay.js';
import type { NbView, SbView } from '../../src/compile/context.js';

const exec = promisify(execFile);
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export async function sh(cmd: string, args: readonly string[], timeout = 20_000): Promise<string> {
  const { stdout } = await exec(cmd, [...args], { timeout, maxBuffer: 256 << 20 });
  return stdout;
}

export type NorthdKind = 'reference' | 'ts';

export interface Side {
  readonly kind: NorthdKind;
  readonly dir: string;
  readonly nb: OvsdbServer;
  readonly sb: OvsdbServer;
  readonly pidfile: string;
  readonly ctl: string;
  stop(): Promise<void>;
}

/** Deletes every SB row northd owns, so the SB holds only its inputs. */
async function wipeNorthdRows(sb: OvsdbServer): Promise<void> {
  const schema = bundledSchema('sb');
  const ops = Object.keys(schema.tables)
    .filter((t) => !SB_INPUT_TABLES.has(t) || t === 'MAC_Binding')
    .map((t) => ({ op: 'delete', table: t, where: [] }));
  await ovsdbTransact(sb.remote, 'OVN_Southbound', ops);
}

export function northdCommand(kind: NorthdKind): { cmd: string; args: string[] } {
  return kind === 'reference'
    ? { cmd: 'ovn-northd', args: [] }
    : { cmd: process.execPath, args: [join(REPO, 'bin/ovn-northd-ts.js')] };
}

export async function startSide(kind: NorthdKind, nbSnapshot: string, sbSnapshot?: string): Promise<Side> {
  const dir = makeTempDir(`par${kind[0]}-`);
  copyFileSync(nbSnapshot, join(dir, 'nb.db'));
  if (sbSnapshot) copyFileSync(sbSnapshot, join(dir, 'sb.db'));
  const nb = await startOvsdbServer({ dir, name: 'nb', dbFile: join(dir, 'nb.db') });
  const sb = await startOvsdbServer({ dir, name: 'sb', dbFile: join(dir, 'sb.db'), schema: join(REPO, 'schemas/ovn-sb.ovsschema') });
  if (sbSnapshot) await wipeNorthdRows(sb);
  const pidfile = join(dir, 'northd.pid');
  const ctl = join(dir, 'northd.ctl');
  const { cmd, args } = northdCommand(kind);
  await sh(cmd, [...args, '--detach', '--no-chdir', `--pidfile=${pidfile}`, `--log-file=${join(dir, 'northd.log')}`, `--ovnnb-db=${nb.remote}`, `--ovnsb-db=${sb.remote}`, `--unixctl=${ctl}`]);
  return {
    kind,
    dir,
    nb,
    sb,
    pidfile,
    ctl,
    async stop() {
      try {
        const pid = Number(readFileSync(pidfile, 'utf8').trim());
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        /* not running */
      }
      await Promise.allSettled([nb.stop(), sb.stop()]);
    },
  };
}

/** `ovn-nbctl --wait=sb sync` against this side: returns once northd caught up. */
export async function waitSb(side: Side, timeoutS = 30): Promise<void> {
  await sh('ovn-nbctl', [`--db=${side.nb.remote}`, '--wait=sb', `--timeout=${timeoutS}`, 'sync'], (timeoutS + 5) * 1000);
}

export async function lflowList(side: Side): Promise<string> {
  return sh('ovn-sbctl', [`--db=${side.sb.remote}`, '--dry-run', 'lflow-list']);
}

export async function sbView(side: Side): Promise<SbView> {
  const text = await sh('ovsdb-client', ['backup', side.sb.remote, 'OVN_Southbound']);
  return viewFromWireTables(bundledSchema('sb'), parseDbFile(text).tables) as unknown as SbView;
}

export async function nbView(side: Side): Promise<NbView> {
  const text = await sh('ovsdb-client', ['backup', side.nb.remote, 'OVN_Northbound']);
  return viewFromWireTables(bundledSchema('nb'), parseDbFile(text).tables) as unknown as NbView;
}
