// Replays every lflows/ scenario (NB snapshot + SB inputs produced by the
// real ovn-northd 23.03.1) through our compiler and compares flows and SB
// rows with the reference's. A scenario that was identical must stay
// identical; the others may not fall below their recorded score
// (lflows/parity-baseline.json, written by scripts/parity-report.ts from
// measured results).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, afterAll } from 'vitest';
import { listScenarios, scoreScenario, type ScenarioScore } from '../../src/replay/parity.js';

const root = new URL('../../lflows/', import.meta.url).pathname;
const baselineFile = new URL('../../lflows/parity-baseline.json', import.meta.url);
const baseline: Record<string, { flowsMissing: number; flowsExtra: number; rowsMissing: number; rowsExtra: number }> = existsSync(baselineFile)
  ? JSON.parse(readFileSync(baselineFile, 'utf8'))
  : {};
const scenarios = listScenarios(root);
const scores: ScenarioScore[] = [];

describe('lflows replay parity with ovn-northd 23.03.1', () => {
  it('has a corpus of at least 30 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of scenarios) {
    it(name, () => {
      const s = scoreScenario(root, name);
      scores.push(s);
      expect(s.error, s.error).toBeUndefined();
      const b = baseline[name];
      const identical = s.flowsMatched === s.flowsTotal && s.flowsExtra === 0 && s.rowsMatched === s.rowsTotal && s.rowsExtra === 0;
      if (!b) {
        // A new scenario without a recorded score must be identical.
        expect(identical, s.flowDiff).toBe(true);
        return;
      }
      expect(s.flowsTotal - s.flowsMatched, s.flowDiff).toBeLessThanOrEqual(b.flowsMissing);
      expect(s.flowsExtra, s.flowDiff).toBeLessThanOrEqual(b.flowsExtra);
      expect(s.rowsTotal - s.rowsMatched).toBeLessThanOrEqual(b.rowsMissing);
      expect(s.rowsExtra).toBeLessThanOrEqual(b.rowsExtra);
    });
  }

  afterAll(() => {
    const fm = scores.reduce((n, s) => n + s.flowsMatched, 0);
    const ft = scores.reduce((n, s) => n + s.flowsTotal, 0);
    const same = scores.filter((s) => s.flowsMatched === s.flowsTotal && s.flowsExtra === 0).length;
    console.log(`replay parity: ${same}/${scores.length} scenarios with identical flows; ${fm}/${ft} reference flows matched`);
  });
});
