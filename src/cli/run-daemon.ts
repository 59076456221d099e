// Process wiring of the daemon: logging, --detach, pidfile, unixctl socket,
// signals. Everything OVN-specific lives in src/daemon and src/compile.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import { Northd } from '../daemon/northd.js';
import { UnixctlServer } from '../daemon/unixctl.js';
import { DEFAULT_RUNDIR, type DaemonOptions } from './daemon-options.js';

export const VERSION_TEXT = 'ovn-northd-ts 0.1.0 (compatible with ovn-northd 23.03.1)\nOpen vSwitch Library 3.1.0 compatible\n';

export function makeLogger(o: DaemonOptions, toConsole: boolean): Logger {
  const streams: pino.StreamEntry[] = [];
  if (o.logFile) {
    mkdirSync(dirname(o.logFile), { recursive: true });
    streams.push({ level: o.fileLevel === 'silent' ? 'fatal' : o.fileLevel, stream: pino.destination({ dest: o.logFile, append: true, sync: true }) });
  }
  if (toConsole && o.consoleLevel !== 'silent') streams.push({ level: o.consoleLevel, stream: pino.destination(2) });
  if (!streams.length) return pino({ level: 'silent' });
  return pino({ level: o.level === 'silent' ? 'fatal' : o.level, base: { pid: process.pid } }, pino.multistream(streams));
}

/** --detach: re-run ourselves in the background and return once the child is serving. */
async function detach(argv: readonly string[]): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv, '--detached-child'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const code = await new Promise<number>((resolve) => {
    child.once('message', () => resolve(0));
    child.once('exit', (c) => resolve(c ?? 1));
  });
  if (code === 0) {
    child.disconnect();
    child.unref();
  }
  process.exit(code);
}

export async function runDaemon(argv: readonly string[], o: DaemonOptions): Promise<void> {
  if (o.detach && !o.detachedChild) await detach(argv.filter((a) => a !== '--detach'));
  if (!o.noChdir && o.detachedChild) process.chdir('/');

  const log = makeLogger(o, !o.detachedChild);
  if (o.pidfile) {
    mkdirSync(dirname(o.pidfile), { recursive: true });
    writeFileSync(o.pidfile, `${process.pid}\n`);
  }
  const ctlPath = o.unixctl ?? `${DEFAULT_RUNDIR}/ovn-northd.${process.pid}.ctl`;
  mkdirSync(dirname(ctlPath), { recursive: true });

  const ssl = o.privateKey || o.certificate || o.caCert
    ? {
        ...(o.privateKey ? { privateKey: o.privateKey } : {}),
        ...(o.certificate ? { certificate: o.certificate } : {}),
        ...(o.caCert ? { caCert: o.caCert } : {}),
      }
    : undefined;
  const northd = new Northd({
    nbRemote: o.nbRemote,
    sbRemote: o.sbRemote,
    logger: log,
    freezeRows: false,
    ...(ssl ? { ssl } : {}),
    ...(o.selfCheckSeconds > 0 ? { selfCheckMs: o.selfCheckSeconds * 1000 } : {}),
  });
  if (o.dryRun) northd.pause();

  const unixctl = new UnixctlServer(ctlPath);
  let exiting: (() => void) | undefined;
  const done = new Promise<void>((r) => (exiting = r));
  unixctl.register('exit', '', 0, 0, () => {
    setImmediate(() => exiting!());
    return '';
  });
  unixctl.register('pause', '', 0, 0, () => (northd.pause(), ''));
  unixctl.register('resume', '', 0, 0, () => (northd.resume(), ''));
  unixctl.register('is-paused', '', 0, 0, () => (northd.isPaused() ? 'true' : 'false'));
  unixctl.register('status', '', 0, 0, () => `Status: ${northd.status}`);
  unixctl.register('version', '', 0, 0, () => VERSION_TEXT);
  unixctl.register('inc-engine/recompute', '', 0, 0, () => (northd.recompute(), ''));
  unixctl.register('inc-engine/show-stats', '', 0, 2, () => {
    const s = northd.stats;
    const c = s.lastCompile;
    const lines = [
      `runs: ${s.runs} (full recomputes: ${s.fullRecomputes})`,
      `last compile: ${s.lastCompileMs.toFixed(1)} ms`,
      ...(c
        ? [
            `last compile units: switches ${c.switchUnitsRecomputed}/${c.switchUnits} recomputed, load balancers ${c.lbUnitsRecomputed}/${c.lbUnits}`,
            `last compile flows changed: ${c.flowsChanged}`,
          ]
        : []),
      `last SB ops: ${s.lastSbOps}`,
      `last SB bytes: ${s.lastSbBytes}`,
      `last SB transaction: ${s.lastTxn.ops} ops, ${s.lastTxn.bytes} bytes`,
      `last run phases (ms): ${Object.entries(s.lastPhases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`,
      `self-checks: ${s.selfChecks} (divergent: ${s.selfCheckFailures})`,
    ];
    return lines.join('\n') + '\n';
  });
  unixctl.register('inc-engine/show-graph', '[verbose]', 0, 1, (args) => northd.describeGraph(args[0] === 'verbose'));
  // Liveness probes (ovn-kubernetes, kube-ovn) ask these: the reference's ovn_conn_show().
  const connection = (state: string): string => (state === 'ready' || state === 'syncing' ? 'connected' : 'not connected');
  unixctl.register('nb-connection-status', '', 0, 0, () => connection(northd.nb.state));
  unixctl.register('sb-connection-status', '', 0, 0, () => connection(northd.sb.state));
  unixctl.register('nb-cluster-state-reset', '', 0, 0, () => '');
  unixctl.register('sb-cluster-state-reset', '', 0, 0, () => '');
  unixctl.register('set-n-threads', 'N', 1, 1, () => '');
  unixctl.register('get-n-threads', '', 0, 0, () => '1');
  await unixctl.listen();

  northd.start();
  log.info({ nb: o.nbRemote, sb: o.sbRemote, unixctl: ctlPath }, 'ovn-northd-ts started');
  if (o.detachedChild && process.send) process.send('ready');

  const onSignal = () => exiting!();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  await done;
  log.info('ovn-northd-ts exiting');
  await northd.stop();
  await unixctl.close();
  if (o.pidfile) {
    try {
      unlinkSync(o.pidfile);
    } catch {
      /* gone already */
    }
  }
  log.flush?.();
  process.exit(0);
}
