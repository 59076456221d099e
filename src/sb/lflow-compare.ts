// Compares two `ovn-sbctl lflow-list` outputs datapath by datapath (by name
// and pipeline, ignoring datapath UUIDs): which flows are missing, which are
// extra. Used by `replay --expect`, the replay suite and the parity test.
import { splitByDatapath } from './lflow-list.js';

export interface DatapathDiff {
  readonly key: string;
  readonly expected: number;
  readonly actual: number;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

export interface LflowComparison {
  readonly datapaths: readonly DatapathDiff[];
  /** Expected flows found in the actual output. */
  readonly matched: number;
  /** Expected flows in all. */
  readonly total: number;
  /** Flows in the actual output that the expected output lacks. */
  readonly extra: number;
  readonly identical: boolean;
}

function multiset(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

/** Lines two blocks have in common (multiset intersection size). */
function overlap(a: readonly string[], b: readonly string[]): number {
  const m = multiset(b);
  let n = 0;
  for (const l of a) {
    const c = m.get(l) ?? 0;
    if (c > 0) {
      m.set(l, c - 1);
      n++;
    }
  }
  return n;
}

/**
 * Datapaths with the same name cannot be told apart by name (their UUIDs
 * differ between databases): pair them greedily by the flows they share.
 */
function pairDuplicates(exp: Map<string, string[]>, act: Map<string, string[]>): void {
  const base = (k: string) => k.replace(/#\d+\|/, '|');
  const groups = new Map<string, string[]>();
  for (const k of exp.keys()) if (k !== base(k) || exp.has(base(k).replace('|', '#2|'))) groups.set(base(k), [...(groups.get(base(k)) ?? []), k]);
  for (const keys of groups.values()) {
    if (keys.length < 2) continue;
    const actualBlocks = keys.map((k) => act.get(k) ?? []);
    const used = new Set<number>();
    const assigned = new Map<string, string[]>();
    for (const k of keys) {
      let best = -1;
      let bestScore = -1;
      actualBlocks.forEach((blk, i) => {
        if (used.has(i)) return;
        const sc = overlap(exp.get(k)!, blk);
        if (sc > bestScore) [best, bestScore] = [i, sc];
      });
      if (best >= 0) {
        used.add(best);
        assigned.set(k, actualBlocks[best]!);
      }
    }
    for (const [k, blk] of assigned) act.set(k, blk);
  }
}

export function compareLflowLists(expectedText: string, actualText: string): LflowComparison {
  const exp = splitByDatapath(expectedText);
  const act = splitByDatapath(actualText);
  pairDuplicates(exp, act);
  const keys = [...new Set([...exp.keys(), ...act.keys()])].sort();
  const datapaths: DatapathDiff[] = [];
  let matched = 0;
  let total = 0;
  let extraCount = 0;
  for (const key of keys) {
    const e = exp.get(key) ?? [];
    const a = act.get(key) ?? [];
    const am = multiset(a);
    const missing: string[] = [];
    for (const l of e) {
      const n = am.get(l) ?? 0;
      if (n > 0) {
        am.set(l, n - 1);
        matched++;
      } else missing.push(l);
    }
    const extra: string[] = [];
    for (const [l, n] of am) for (let i = 0; i < n; i++) extra.push(l);
    total += e.length;
    extraCount += extra.length;
    datapaths.push({ key, expected: e.length, actual: a.length, missing, extra });
  }
  return { datapaths, matched, total, extra: extraCount, identical: matched === total && extraCount === 0 };
}

export function formatComparison(c: LflowComparison, maxLines = 40): string {
  const out: string[] = [`flows matched: ${c.matched}/${c.total}, extra: ${c.extra}`];
  let budget = maxLines;
  for (const d of c.datapaths) {
    if (!d.missing.length && !d.extra.length) continue;
    out.push(`Datapath ${d.key}: expected ${d.expected}, got ${d.actual}`);
    for (const l of d.missing) if (budget-- > 0) out.push(`- ${l.trim()}`);
    for (const l of d.extra) if (budget-- > 0) out.push(`+ ${l.trim()}`);
  }
  if (budget < 0) out.push(`… ${-budget} more lines`);
  return out.join('\n');
}
