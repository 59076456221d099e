// Live parity: for every lflows/ scenario, the reference ovn-northd and
// ovn-northd-ts run side by side, each against its own real NB/SB
// ovsdb-servers started from the same NB snapshot and SB inputs. We compare
// the two SBs (lflow-list per datapath and the other SB rows), and check
// that our daemon wrote exactly what our compiler computes offline.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/replay/parity.js';
import { compareLflowLists } from '../../src/sb/lflow-compare.js';
import { compareNormalSb, normaliseSb } from '../../src/replay/sb-compare.js';
import { replay, replayText } from '../../src/replay/replay.js';
import { lflowList, REPO, sbView, startSide, waitSb } from './live-harness.js';

const root = join(REPO, 'lflows');
const baselineFile = join(root, 'parity-baseline.json');
const baseline: Record<string, { flowsMatched: number; flowsExtra: number; rowsMatched: number; rowsExtra: number }> = existsSync(baselineFile)
  ? JSON.parse(readFileSync(baselineFile, 'utf8'))
  : {};
const report: string[] = [];

describe.sequential('live parity: reference ovn-northd vs ovn-northd-ts on identical NB contents', () => {
  for (const name of listScenarios(root)) {
    it(name, async () => {
      const dir = join(root, name);
      const [ref, ts] = await Promise.all([
        startSide('reference', join(dir, 'nb.db'), join(dir, 'sb.db')),
        startSide('ts', join(dir, 'nb.db'), join(dir, 'sb.db')),
      ]);
      try {
        await Promise.all([waitSb(ref), waitSb(ts)]);
        const [refFlows, tsFlows] = await Promise.all([lflowList(ref), lflowList(ts)]);
        const cmp = compareLflowLists(refFlows, tsFlows);
        const rows = compareNormalSb(normaliseSb(await sbView(ref)), normaliseSb(await sbView(ts)));
        const rowsMatched = rows.reduce((n, r) => n + r.matched, 0);
        const rowsTotal = rows.reduce((n, r) => n + r.total, 0);
        const rowsExtra = rows.reduce((n, r) => n + r.extra, 0);
        report.push(`${name}: flows ${cmp.matched}/${cmp.total} (+${cmp.extra}), rows ${rowsMatched}/${rowsTotal} (+${rowsExtra})`);

        // The reference reproduces the stored corpus output.
        expect(compareLflowLists(readFileSync(join(dir, 'lflow-list.txt'), 'utf8'), refFlows).identical).toBe(true);
        // Our daemon wrote exactly the flows our compiler computes offline.
        const offline = replayText(replay(join(dir, 'nb.db'), join(dir, 'sb.db')));
        expect(compareLflowLists(offline, tsFlows).identical).toBe(true);
        // And it is at least as close to the reference as recorded.
        const b = baseline[name] ?? { flowsMatched: cmp.total, flowsExtra: 0, rowsMatched: rowsTotal, rowsExtra: 0 };
        expect(cmp.matched).toBeGreaterThanOrEqual(b.flowsMatched);
        expect(cmp.extra).toBeLessThanOrEqual(b.flowsExtra);
        expect(rowsMatched).toBeGreaterThanOrEqual(Math.min(b.rowsMatched, rowsTotal));
      } finally {
        await Promise.all([ref.stop(), ts.stop()]);
      }
    });
  }
  afterAll(() => {
    if (report.length) console.log('live parity per scenario:\n  ' + report.join('\n  '));
  });
});
