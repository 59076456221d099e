// ovn-northd-ts command line: the daemon (ovn-northd's flags), `replay`
// (offline compile of an NB snapshot) and `sandbox` (a first look).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDaemonArgs, UsageError, USAGE } from './daemon-options.js';
import { runDaemon, VERSION_TEXT } from './run-daemon.js';
import { replay, replayText } from '../replay/replay.js';
import { compareLflowLists, formatComparison } from '../sb/lflow-compare.js';

function replayMain(argv: string[]): number {
  let nbPath: string | undefined;
  let sbPath: string | undefined;
  let format = 'text';
  let expect: string | undefined;
  let out: string | undefined;
  let keepSbState = false;
  const args = [...argv];
  while (args.length) {
    const a = args.shift()!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args.shift() ?? '';
    switch (flag) {
      case '--sb': sbPath = value(); break;
      case '--format': format = value(); break;
      case '--expect': expect = value(); break;
      case '--output': case '-o': out = value(); break;
      case '--keep-sb-state': keepSbState = true; break;
      case '-h': case '--help':
        process.stdout.write(
          'usage: ovn-northd-ts replay NB_SNAPSHOT [--sb SB_SNAPSHOT] [--keep-sb-state] [--format=text|json] [--expect LFLOW_LIST] [-o FILE]\n' +
            '  NB_SNAPSHOT/SB_SNAPSHOT: ovsdb database files (ovsdb-client backup) or JSON {table: {uuid: row}}\n' +
            '  --sb: SB inputs (Chassis, ...); with --keep-sb-state also its tunnel keys\n' +
            '  --expect: an `ovn-sbctl lflow-list` output to diff against; exit 1 on a difference\n',
        );
        return 0;
      default:
        if (a.startsWith('-') || nbPath) throw new UsageError(`replay: unexpected argument '${a}'`);
        nbPath = a;
    }
  }
  if (!nbPath) throw new UsageError('replay: missing NB_SNAPSHOT');
  const desired = replay(nbPath, sbPath, { keepSbState });
  for (const d of desired.diagnostics) process.stderr.write(`warning: ${d.message}\n`);
  const text = replayText(desired);
  let output: string;
  if (format === 'json') {
    const flows = [...desired.flows.flows.values()].map(({ flow, datapaths }) => ({
      pipeline: flow.stage.pipeline,
      table: flow.stage.table,
      stage: flow.stage.name,
      priority: flow.priority,
      match: flow.match,
      actions: flow.actions,
      ...(flow.meter !== undefined ? { controller_meter: flow.meter } : {}),
      ...(flow.ioPort !== undefined ? { in_out_port: flow.ioPort } : {}),
      datapaths: [...datapaths].map((d) => desired.datapaths.get(d)?.externalIds['name'] ?? d).sort(),
    }));
    output = JSON.stringify({ flows }, null, 1) + '\n';
  } else if (format === 'text') {
    output = text;
  } else {
    throw new UsageError(`replay: unknown format '${format}'`);
  }
  if (expect) {
    const cmp = compareLflowLists(readFileSync(expect, 'utf8'), text);
    process.stdout.write(formatComparison(cmp) + '\n');
    if (out) writeFileSync(out, output);
    return cmp.identical ? 0 : 1;
  }
  if (out) writeFileSync(out, output);
  else process.stdout.write(output);
  return 0;
}

export async function main(argv: string[]): Promise<void> {
  try {
    if (argv[0] === 'replay') {
      process.exitCode = replayMain(argv.slice(1));
      return;
    }
    if (argv[0] === 'sandbox') {
      const { sandboxMain } = await import('./sandbox.js');
      process.exitCode = await sandboxMain(argv.slice(1));
      return;
    }
    const o = parseDaemonArgs(argv);
    if (o.help) return void process.stdout.write(USAGE);
    if (o.version) return void process.stdout.write(VERSION_TEXT);
    await runDaemon(argv, o);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ovn-northd-ts: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
