// lflow-list printing and comparison, checked against output of the real
// ovn-sbctl (the lflows/ corpus).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLflowList, parseLflowList } from '../../src/sb/lflow-list.js';
import { compareLflowLists } from '../../src/sb/lflow-compare.js';
import { listScenarios } from '../../src/replay/parity.js';

const root = new URL('../../lflows/', import.meta.url).pathname;

describe('lflow-list format', () => {
  const scenarios = listScenarios(root);
  it('re-prints every reference lflow-list of the corpus byte for byte', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    for (const name of scenarios) {
      const text = readFileSync(`${root}${name}/lflow-list.txt`, 'utf8');
      const flows = parseLflowList(text);
      expect(flows.length).toBe(text.split('\n').filter((l) => l.startsWith('  table=')).length);
      expect(formatLflowList(flows.reverse())).toBe(text);
    }
  });

  it('compares per datapath, ignoring datapath UUIDs, and reports missing and extra flows', () => {
    const text = readFileSync(`${root}024-lb-tcp/lflow-list.txt`, 'utf8');
    const flows = parseLflowList(text);
    const renamed = formatLflowList(flows.map((f) => ({ ...f, dpUuid: '00000000-0000-0000-0000-000000000001' })));
    expect(compareLflowLists(text, renamed).identical).toBe(true);
    const dropped = formatLflowList(flows.slice(1));
    const cmp = compareLflowLists(text, dropped);
    expect(cmp.identical).toBe(false);
    expect(cmp.matched).toBe(flows.length - 1);
    const added = formatLflowList([...flows, { ...flows[0]!, priority: 12345 }]);
    expect(compareLflowLists(text, added).extra).toBe(1);
  });
});
