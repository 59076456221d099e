// IPAM allocation against the reference: lflows/125-ipam-one-shot's NB (every port created in one transaction) holds the dynamic_addresses
// the real ovn-northd 23.03.1 assigned (exclusions, a router port's address, a static address
// taking the next free one, "MAC dynamic", "dynamic IP", IPv6 EUI-64, mac_only, a bad prefix).
// With them removed, our compile must assign exactly the same values, write them back, and
// produce the reference's flows; with them present it must keep them and write nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadNbView, loadSbView } from '../../src/replay/load.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { compile } from '../../src/compile/compile.js';
import { sbInputsOnly } from '../../src/replay/replay.js';
import { replayText } from '../../src/replay/replay.js';
import type { NbLogicalSwitchPort } from '../../src/model/nb.js';

const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0e:00:00:00:00:01' };
const DIR = new URL('../../lflows/125-ipam-one-shot/', import.meta.url);

function load(): { nb: NbView; sb: SbView } {
  const nb = loadNbView(new URL('nb.db', DIR).pathname) as unknown as NbView;
  const sb = sbInputsOnly(loadSbView(new URL('sb.db', DIR).pathname)) as SbView;
  return { nb, sb };
}

describe('IPAM', () => {
  it('assigns what the reference assigned when nothing is assigned yet', () => {
    const { nb, sb } = load();
    const reference = new Map<string, string>();
    const stripped = new Map<string, NbLogicalSwitchPort>();
    for (const [u, p] of nb.Logical_Switch_Port) {
      if (p.dynamic_addresses !== undefined) reference.set(p.name, p.dynamic_addresses);
      stripped.set(u, { ...p, dynamic_addresses: undefined });
    }
    expect(reference.size).toBeGreaterThan(5);
    const out = compile({ nb: { ...nb, Logical_Switch_Port: stripped } as NbView, sb }, FRESH);
    expect(Object.fromEntries(out.lspDynamicAddresses)).toEqual(Object.fromEntries(reference));
    // The flows use the assigned addresses in the same run: the reference's flow table.
    const ref = readFileSync(new URL('lflow-list.txt', DIR), 'utf8');
    expect(replayText(out).split('\n').filter((l) => l.includes('table=')).sort()).toEqual(ref.split('\n').filter((l) => l.includes('table=')).sort());
  });

  it('keeps the reference\'s assignments and writes nothing', () => {
    const { nb, sb } = load();
    const out = compile({ nb, sb }, FRESH);
    expect(out.lspDynamicAddresses.size).toBe(0);
  });
});
