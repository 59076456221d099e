/**
 * One measured run of our client (spawned as a fresh process by run.ts so
 * that its peak RSS is per run): connect, replicate OVN_Southbound (only
 * Logical_Flow, or every table), wait for the initial snapshot, print one
 * JSON line and exit.
 *
 *   npx tsx bench/client/our-client.ts --remote unix:SOCK --tables lflow|all [--expect N] [--probe-ms 0]
 *
 * Output (stdout, one line):
 *   {"ms": connect→snapshot-ready, "rows": {table: count}, "maxRssKb": peak RSS,
 *    "cpuMs": CPU (user+sys, all threads) connect→ready, "cpuTotalMs": whole process,
 *    "heapUsedMb": ..., "startupMs": process start→connect}
 */
import { OvsdbSession } from '../../src/ovsdb/index.js';
import { createReplica, waitForReplica } from '../../src/replica/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const remote = arg('--remote');
  if (!remote) throw new Error('--remote required');
  const which = arg('--tables') ?? 'lflow';
  const expect = arg('--expect') !== undefined ? Number(arg('--expect')) : undefined;
  const timeoutMs = Number(arg('--timeout-ms') ?? 600_000);
  // ovsdb-client sends no inactivity probes; the session's default (5 s) drops
  // the connection while ovsdb-server is busy building a large reply.
  const probeInterval = Number(arg('--probe-ms') ?? 0);

  const startupMs = performance.now(); // ms since process start (time origin)
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const h0 = process.hrtime.bigint();
  const session = new OvsdbSession({ remote, database: 'OVN_Southbound', probeInterval });
  const replica$ = createReplica(session, 'OVN_Southbound', which === 'all' ? undefined : ['Logical_Flow']);
  const snap = await waitForReplica(replica$, () => true, timeoutMs);
  const ms = performance.now() - t0;
  const h1 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const cpuTotal = process.cpuUsage();

  const rows: Record<string, number> = {};
  for (const [t, m] of Object.entries(snap.tables)) if (m.size) rows[t] = m.size;
  const lf = snap.tables['Logical_Flow']?.size ?? 0;
  const mem = process.memoryUsage();
  const out = {
    ms: Math.round(ms * 10) / 10,
    rows,
    maxRssKb: process.resourceUsage().maxRSS,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    cpuTotalMs: Math.round((cpuTotal.user + cpuTotal.system) / 1000),
    heapUsedMb: Math.round(mem.heapUsed / 1048576),
    startupMs: Math.round(startupMs),
    // Monotonic µs (same clock as .cpuprofile timestamps): the measured window.
    windowUs: [Number(h0 / 1000n), Number(h1 / 1000n)],
    ok: expect === undefined || lf === expect,
  };
  process.stdout.write(JSON.stringify(out) + '\n', () => {
    // Exit without tearing down the replica: the measurement is over.
    process.exit(out.ok ? 0 : 3);
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`our-client: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(2);
});
