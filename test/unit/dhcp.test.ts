// Native DHCP (ls_in_dhcp_options / ls_in_dhcp_response): for the NB of lflows/116-118 the
// flows of those two stages and the warnings are what the real ovn-northd 23.03.1 wrote
// (their lflow-list.txt and northd-warnings.txt): every option type of the catalog in key
// order, hostname precedence, DHCPv6 stateful/stateless, external ports through localnet,
// disabled ports, addresses outside the cidr, missing required options, a bad cidr.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replay, replayText } from '../../src/replay/replay.js';

const SCENARIOS = ['116-dhcpv4-all-options', '117-dhcpv6-stateful-stateless', '118-dhcp-external-edge-cases'];
const dir = (name: string): URL => new URL(`../../lflows/${name}/`, import.meta.url);

/** The lines of tables 20-21 (ls_in_dhcp_options, ls_in_dhcp_response), with their datapath, sorted. */
function dhcpLines(listing: string): string[] {
  const out: string[] = [];
  let dp = '';
  for (const line of listing.split('\n')) {
    if (line.startsWith('Datapath:')) dp = line.replace(/\(.*?\)/, '');
    else if (/ls_in_dhcp_(options|response)/.test(line)) out.push(`${dp} ${line.trim()}`);
  }
  return out.sort();
}

describe('native DHCP flows', () => {
  for (const name of SCENARIOS) {
    it(`${name}: the DHCP stages are the reference's`, () => {
      const reference = dhcpLines(readFileSync(new URL('lflow-list.txt', dir(name)), 'utf8'));
      const ours = dhcpLines(replayText(replay(new URL('nb.db', dir(name)).pathname, new URL('sb.db', dir(name)).pathname)));
      // More than the priority-0 defaults: the scenario exercises the per-port flows.
      expect(reference.filter((l) => l.includes('priority=100')).length).toBeGreaterThan(0);
      expect(ours).toEqual(reference);
    });
  }

  it('warns as the reference does about missing required options', () => {
    const name = '118-dhcp-external-edge-cases';
    const desired = replay(new URL('nb.db', dir(name)).pathname, new URL('sb.db', dir(name)).pathname);
    const ours = desired.diagnostics.filter((d) => d.key.startsWith('dhcp')).map((d) => d.message);
    const reference = readFileSync(new URL('northd-warnings.txt', dir(name)), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('northd|WARN|'))
      .map((l) => l.slice('northd|WARN|'.length));
    expect(reference.length).toBe(2);
    expect([...ours].sort()).toEqual([...reference].sort());
  });
});
