// Router NAT rules on gateway routers: the rules ovn-northd refuses are refused with the
// reference's warnings (lflows/094-gr-nat-options/northd-warnings.txt, written by the real
// ovn-northd 23.03.1), and a rule with an external-address filter, which we cannot apply
// yet, gets no flows rather than flows without its filter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledSchema, loadNbView, loadSbView, viewFromWireTables } from '../../src/replay/load.js';
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

  it('gives no flows to a rule with allowed_ext_ips until the filter is implemented', () => {
    const u = (p: string) => `${p}-0000-4000-8000-000000000000`;
    const set = (xs: unknown[]) => ['set', xs];
    const map = (o: Record<string, string>) => ['map', Object.entries(o)];
    const nbOf = (nat: Record<string, unknown>): NbView =>
      viewFromWireTables(bundledSchema('nb'), {
        Logical_Router_Port: { [u('80000000')]: { name: 'gr-pub', mac: '00:00:00:00:fe:02', networks: set(['172.16.0.2/24']) } },
        Logical_Router: { [u('70000000')]: { name: 'gr', ports: set([['uuid', u('80000000')]]), nat: set([['uuid', u('f6000000')]]), options: map({ chassis: 'gw1' }) } },
        Address_Set: { [u('a5000000')]: { name: 'ext', addresses: set(['172.16.0.50']) } },
        NAT: { [u('f6000000')]: { type: 'dnat_and_snat', external_ip: '172.16.0.110', logical_ip: '10.0.0.11', ...nat } },
      }) as unknown as NbView;
    const sb = viewFromWireTables(bundledSchema('sb'), {}) as unknown as SbView;
    const natFlows = (nb: NbView) => [...compile({ nb, sb }, FRESH).flows.flows.values()].filter((m) => /ct_(s|d)nat\(/.test(m.flow.actions));
    // The same rule without a filter has its DNAT and SNAT flows: the filter is what removes them.
    expect(natFlows(nbOf({})).length).toBe(2);
    expect(natFlows(nbOf({ allowed_ext_ips: ['uuid', u('a5000000')] }))).toEqual([]);
  });
});
