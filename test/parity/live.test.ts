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
import { compile } from '../../src/compile/compile.js';
import { randomFresh } from '../../src/compile/global.js';
import { diffSb } from '../../src/sb/differ.js';
import { nbWithLspUp } from '../../src/daemon/nb-writeback.js';
import { lflowList, nbView, REPO, sbView, startSide, waitSb } from './live-harness.js';

const root = join(REPO, 'lflows');
const baselineFile = join(root, 'parity-baseline.json');
const baseline: Record<string, { flowsMissing: number; flowsExtra: number; rowsMissing: number; rowsExtra: number }> = existsSync(baselineFile)
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
        // Once more: a run that created datapaths is followed by one against the SB that
        // holds them (the datapath walk, and with it some stage-hints, follows SB rows).
        await waitSb(ts);
        const [refFlows, tsFlows] = await Promise.all([lflowList(ref), lflowList(ts)]);
        const cmp = compareLflowLists(refFlows, tsFlows);
        const [refSb, tsSb] = await Promise.all([sbView(ref), sbView(ts)]);
        // Rows compared without tunnel keys (see keyRows below): both sides allocate every key at
        // once here, in an order that follows hash-map iteration over NB rows.
        const rows = compareNormalSb(normaliseSb(refSb, { withoutKeys: true }), normaliseSb(tsSb, { withoutKeys: true }));
        const rowsMatched = rows.reduce((n, r) => n + r.matched, 0);
        const rowsTotal = rows.reduce((n, r) => n + r.total, 0);
        const rowsExtra = rows.reduce((n, r) => n + r.extra, 0);
        const keyRows = compareNormalSb(normaliseSb(refSb), normaliseSb(tsSb)).reduce((n, r) => n + r.matched, 0);
        if (process.env.LIVE_DEBUG) for (const d of cmp.datapaths) for (const l of d.missing) console.log("MISSING", d.key, l);
        report.push(`${name}: flows ${cmp.matched}/${cmp.total} (+${cmp.extra}), rows ${rowsMatched}/${rowsTotal} (+${rowsExtra}), rows with identical tunnel keys ${keyRows}/${rowsTotal}`);

        // Our daemon converged: compiling its own final NB and SB yields no SB change.
        const [nbFinal, sbFinal] = await Promise.all([nbView(ts), sbView(ts)]);
        const again = diffSb(compile({ nb: nbWithLspUp(nbFinal, sbFinal), sb: sbFinal }, randomFresh()), sbFinal);
        expect(again.ops, JSON.stringify(again.counts)).toEqual([]);
        // And it is at least as close to the reference as recorded.
        const b = baseline[name] ?? { flowsMissing: 0, flowsExtra: 0, rowsMissing: 0, rowsExtra: 0 };
        expect(cmp.total - cmp.matched).toBeLessThanOrEqual(b.flowsMissing);
        expect(cmp.extra).toBeLessThanOrEqual(b.flowsExtra);
        expect(rowsTotal - rowsMatched).toBeLessThanOrEqual(b.rowsMissing);
        expect(rowsExtra).toBeLessThanOrEqual(b.rowsExtra);
      } finally {
        await Promise.all([ref.stop(), ts.stop()]);
      }
    });
  }
  afterAll(() => {
    if (report.length) console.log('live parity per scenario:\n  ' + report.join('\n  '));
  });
});
