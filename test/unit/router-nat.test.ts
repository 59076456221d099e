// Router NAT rules on gateway routers: the rules ovn-northd refuses are refused with the
// reference's warnings (lflows/094-gr-nat-options/northd-warnings.txt, written by the real
// ovn-northd 23.03.1).  Their flows are checked by the replay of the lflows/ scenarios.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadNbView, loadSbView } from '../../src/replay/load.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { compile } from '../../src/compile/compile.js';
import { sbInputsOnly } from '../../src/replay/replay.js';

const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0e:00:00:00:00:01' };
const DIR = new URL('../../lflows/094-gr-nat-options/', import.meta.url);

describe('gateway router NAT rules', () => {
  it('refuses the rules the reference refuses, with its warnings', () => {
    const nb = loadNbView(new URL('nb.db', DIR).pathname) as unknown as NbView;
    const sb = sbInputsOnly(loadSbView(new URL('sb.db', DIR).pathname)) as SbView;
    const out = compile({ nb, sb }, FRESH);
    const ours = out.diagnostics.filter((d) => d.key.startsWith('nat-')).map((d) => d.message);
    const reference = readFileSync(new URL('northd-warnings.txt', DIR), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('northd|WARN|'))
      .map((l) => l.slice('northd|WARN|'.length));
    expect(reference.length).toBe(4);
    expect([...ours].sort()).toEqual([...reference].sort());
  });
});
