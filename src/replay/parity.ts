// Replays every scenario of the lflows/ corpus and scores it against the
// reference output stored beside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareLflowLists } from '../sb/lflow-compare.js';
import { loadSbView } from './load.js';
import { replay, replayText } from './replay.js';
import { compareNormalSb, normaliseDesired, normaliseSb, type RowComparison } from './sb-compare.js';

export interface ScenarioScore {
  readonly name: string;
  readonly flowsMatched: number;
  readonly flowsTotal: number;
  readonly flowsExtra: number;
  /** Reference flows on router datapaths (lr_* stages) and how many of them we produce. */
  readonly routerFlowsTotal: number;
  readonly routerFlowsMatched: number;
  readonly rowsMatched: number;
  readonly rowsTotal: number;
  readonly rowsExtra: number;
  readonly rowTables: readonly RowComparison[];
  readonly flowDiff: string;
  readonly error?: string;
}

export function listScenarios(root: string): string[] {
  return readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'nb.db')) && existsSync(join(root, d, 'lflow-list.txt')))
    .sort();
}

export function scoreScenario(root: string, name: string): ScenarioScore {
  const dir = join(root, name);
  const expected = readFileSync(join(dir, 'lflow-list.txt'), 'utf8');
  const total = expected.split('\n').filter((l) => l.startsWith('  table=')).length;
  try {
    // The stored SB went through the reference's incremental key allocation: keep its keys (a takeover).
    const desired = replay(join(dir, 'nb.db'), join(dir, 'sb.db'), { keepSbState: true });
    const text = replayText(desired);
    const cmp = compareLflowLists(expected, text);
    const rows = compareNormalSb(normaliseSb(loadSbView(join(dir, 'sb.db'))), normaliseDesired(desired));
    const isRouterFlow = (l: string) => /\((lr_[a-z_]+) *\)/.test(l);
    const routerFlowsTotal = expected.split('\n').filter((l) => l.startsWith('  table=') && isRouterFlow(l)).length;
    const routerMissing = cmp.datapaths.reduce((n, d) => n + d.missing.filter(isRouterFlow).length, 0);
    const diffLines: string[] = [];
    for (const d of cmp.datapaths) {
      for (const l of d.missing) diffLines.push(`${d.key} - ${l.trim()}`);
      for (const l of d.extra) diffLines.push(`${d.key} + ${l.trim()}`);
    }
    return {
      name,
      flowsMatched: cmp.matched,
      flowsTotal: cmp.total,
      flowsExtra: cmp.extra,
      routerFlowsTotal,
      routerFlowsMatched: routerFlowsTotal - routerMissing,
      rowsMatched: rows.reduce((n, r) => n + r.matched, 0),
      rowsTotal: rows.reduce((n, r) => n + r.total, 0),
      rowsExtra: rows.reduce((n, r) => n + r.extra, 0),
      rowTables: rows,
      flowDiff: diffLines.join('\n'),
    };
  } catch (e) {
    return {
      name,
      flowsMatched: 0,
      flowsTotal: total,
      flowsExtra: 0,
      routerFlowsTotal: 0,
      routerFlowsMatched: 0,
      rowsMatched: 0,
      rowsTotal: 0,
      rowsExtra: 0,
      rowTables: [],
      flowDiff: '',
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  }
}
