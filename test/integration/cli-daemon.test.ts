// The `ovn-northd-ts` command as operators run it: --detach with pidfile,
// log file and unixctl socket, driven with the real ovn-appctl.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, NB_SCHEMA, run, SB_SCHEMA, startOvsdbServer, waitUntil } from '../helpers/ovsdb-server.js';

const repo = new URL('../../', import.meta.url).pathname;
const bin = join(repo, 'bin/ovn-northd-ts.js');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch(() => undefined);
});

describe('ovn-northd-ts command line daemon', () => {
  it('detaches, writes its pidfile and log, and answers ovn-appctl', async () => {
    expect(existsSync(join(repo, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
    const nb = await startOvsdbServer({ schema: NB_SCHEMA });
    const sb = await startOvsdbServer({ schema: SB_SCHEMA });
    cleanups.push(() => nb.stop(), () => sb.stop());
    const dir = makeTempDir('cli-');
    const pidfile = join(dir, 'northd.pid');
    const ctl = join(dir, 'northd.ctl');
    const log = join(dir, 'northd.log');
    await run(process.execPath, [bin, '--detach', '--no-chdir', `--pidfile=${pidfile}`, `--log-file=${log}`, `--unixctl=${ctl}`, `--ovnnb-db=${nb.remote}`, `--ovnsb-db=${sb.remote}`], 20_000);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    cleanups.push(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* exited */
      }
    });
    expect(pid).toBeGreaterThan(0);
    const appctl = (...a: string[]) => run('ovn-appctl', ['-t', ctl, ...a], 10_000);
    await waitUntil(async () => (await appctl('status')).includes('active'), 10_000, 'daemon active');
    await run('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=20', 'ls-add', 'ls1'], 25_000);
    expect(await appctl('is-paused')).toContain('false');
    expect((await appctl('nb-connection-status')).trim()).toBe('connected');
    expect((await appctl('sb-connection-status')).trim()).toBe('connected');
    // A liveness probe sees the SB go away and come back.
    await sb.kill('SIGKILL');
    await waitUntil(async () => (await appctl('sb-connection-status')).trim() === 'not connected', 10_000, 'SB not connected');
    expect((await appctl('nb-connection-status')).trim()).toBe('connected');
    await sb.restart();
    await waitUntil(async () => (await appctl('sb-connection-status')).trim() === 'connected', 15_000, 'SB connected again');
    await appctl('pause');
    expect(await appctl('status')).toContain('paused');
    await run('ovn-nbctl', [`--db=${nb.remote}`, 'ls-add', 'ls2'], 10_000);
    await expect(run('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=2', 'sync'], 10_000)).rejects.toThrow();
    await appctl('resume');
    await run('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=20', 'sync'], 25_000);
    // ls1 and ls2 were compiled incrementally after the first (full) run; recompute starts over.
    expect(await appctl('inc-engine/show-stats')).toMatch(/full recomputes: 1\)/);
    await appctl('inc-engine/recompute');
    await run('ovn-nbctl', [`--db=${nb.remote}`, '--wait=sb', '--timeout=20', 'sync'], 25_000);
    await waitUntil(async () => /full recomputes: 2\)/.test(await appctl('inc-engine/show-stats')), 10_000, 'recompute ran');
    const graph = await appctl('inc-engine/show-graph', 'verbose');
    expect(graph).toMatch(/^ls\/[0-9a-f-]{36}\/own: \d+ flows, \d+ dependencies$/m);
    expect(graph).toMatch(/^ls\/[0-9a-f-]{36}\/ports: \d+ flows, \d+ dependencies$/m);
    expect(graph).toContain('<- row Logical_Switch/');
    expect(await appctl('list-commands')).toContain('inc-engine/recompute');
    await expect(appctl('no-such-command')).rejects.toThrow(/not a valid command/);
    await appctl('exit');
    await waitUntil(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 10_000, 'daemon exits');
    expect(existsSync(pidfile)).toBe(false);
    expect(readFileSync(log, 'utf8')).toContain('lock acquired');
  });
});
