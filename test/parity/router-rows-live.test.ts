// Router SB rows that follow later changes, side by side with the reference:
// the BFD sessions' status in NB and SB (northd's write-back), and the HA
// chassis groups' members and ref_chassis as gateways and bound ports change.
// Each step is applied to both sides; after it both NBs' BFD rows and both
// SBs' BFD and HA_Chassis_Group rows must be the same.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { nbView, REPO, sbView, sh, startSide, waitSb, type Side } from './live-harness.js';
import { compareNormalSb, normaliseSb } from '../../src/replay/sb-compare.js';

const nbctl = (s: Side, ...args: string[]) => sh('ovn-nbctl', [`--db=${s.nb.remote}`, ...args]);
const sbctl = (s: Side, ...args: string[]) => sh('ovn-sbctl', [`--db=${s.sb.remote}`, ...args]);
const uuids = (out: string): string[] => out.split('\n').map((l) => l.trim()).filter(Boolean);

/** What must match: NB BFD status, and the normalised SB rows of the router tables. */
async function state(s: Side): Promise<{ nb: string[]; sb: Map<string, string> }> {
  const [nb, sb] = await Promise.all([nbView(s), sbView(s)]);
  const rows = normaliseSb(sb, { withoutKeys: true });
  const sbRows = new Map<string, string>();
  for (const t of ['BFD', 'HA_Chassis_Group', 'Port_Binding']) for (const [k, v] of rows[t] ?? []) sbRows.set(`${t} ${k}`, v);
  return { nb: [...nb.BFD.values()].map((b) => `${b.dst_ip}=${b.status}`).sort(), sb: sbRows };
}

async function sideBySide(scenario: string, steps: readonly [string, (s: Side) => Promise<unknown>][]): Promise<void> {
  const dir = join(REPO, 'lflows', scenario);
  const sides = await Promise.all([startSide('reference', join(dir, 'nb.db'), join(dir, 'sb.db')), startSide('ts', join(dir, 'nb.db'), join(dir, 'sb.db'))]);
  try {
    for (const [what, apply] of [['start', async () => undefined] as const, ...steps]) {
      for (const s of sides) {
        await apply(s);
        await waitSb(s);
        // A status written back to NB makes both daemons run once more.
        await waitSb(s);
      }
      const [ref, ts] = await Promise.all(sides.map(state));
      expect(ts.nb, `${what}: NB BFD`).toEqual(ref.nb);
      const diff = compareNormalSb({ rows: ref.sb }, { rows: ts.sb }).flatMap((r) => r.differences);
      expect(diff, `${what}: SB rows`).toEqual([]);
    }
  } finally {
    await Promise.all(sides.map((s) => s.stop()));
  }
}

describe.sequential('router SB rows over changes, beside the reference', () => {
  it('BFD sessions: status write-back, sessions without routes, ovn-controller state, new and deleted sessions', () =>
    sideBySide('075-bfd-route', [
      ['status cleared', async (s) => { for (const u of uuids(await nbctl(s, '--bare', '--columns=_uuid', 'list', 'bfd'))) await nbctl(s, 'clear', 'bfd', u, 'status'); }],
      ['route unlinked', async (s) => nbctl(s, 'clear', 'logical_router_static_route', (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'logical_router_static_route', 'nexthop=172.16.0.253')).trim(), 'bfd')],
      ['route relinked', async (s) => {
        const route = (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'logical_router_static_route', 'nexthop=172.16.0.253')).trim();
        const bfd = (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'bfd', 'dst_ip=172.16.0.253')).trim();
        return nbctl(s, 'set', 'logical_router_static_route', route, `bfd=${bfd}`);
      }],
      ['sessions up', async (s) => { for (const u of uuids(await sbctl(s, '--bare', '--columns=_uuid', 'list', 'bfd'))) await sbctl(s, 'set', 'bfd', u, 'status=up'); }],
      ['new session', async (s) => nbctl(s, 'create', 'bfd', 'logical_port=lr0-public', 'dst_ip=172.16.0.250', 'min_rx=300')],
      ['admin_down', async (s) => nbctl(s, 'set', 'bfd', (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'bfd', 'dst_ip=172.16.0.254')).trim(), 'status=admin_down')],
      ['session deleted', async (s) => nbctl(s, 'destroy', 'bfd', (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'bfd', 'dst_ip=172.16.0.250')).trim())],
    ]), 120_000);

  it('HA chassis groups: ref_chassis follows bound ports; members follow gateway chassis and NB groups', () =>
    sideBySide('071-dgp-gateway-chassis', [
      ['second port bound', async (s) => sbctl(s, 'lsp-bind', 'sw0-p2', 'gw2')],
      ['first port unbound', async (s) => sbctl(s, 'lsp-unbind', 'sw0-p1')],
      ['gateway chassis removed', async (s) => nbctl(s, 'lrp-del-gateway-chassis', 'lr0-public', 'gw2')],
      ['gateway chassis added (no such chassis)', async (s) => nbctl(s, 'lrp-set-gateway-chassis', 'lr0-public', 'gw9', '5')],
      ['NB group instead', async (s) => {
        await nbctl(s, 'ha-chassis-group-add', 'hagrp1');
        await nbctl(s, 'ha-chassis-group-add-chassis', 'hagrp1', 'gw1', '30');
        await nbctl(s, 'ha-chassis-group-add-chassis', 'hagrp1', 'hv1', '20');
        const grp = (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'ha_chassis_group', 'name=hagrp1')).trim();
        await nbctl(s, 'clear', 'logical_router_port', 'lr0-public', 'gateway_chassis');
        return nbctl(s, 'set', 'logical_router_port', 'lr0-public', `ha_chassis_group=${grp}`);
      }],
      ['external port', async (s) => {
        const grp = (await nbctl(s, '--bare', '--columns=_uuid', 'find', 'ha_chassis_group', 'name=hagrp1')).trim();
        await nbctl(s, 'lsp-add', 'public', 'ext1', '--', 'lsp-set-type', 'ext1', 'external', '--', 'lsp-set-addresses', 'ext1', '50:54:00:00:00:99 172.16.0.99');
        return nbctl(s, 'set', 'logical_switch_port', 'ext1', `ha_chassis_group=${grp}`);
      }],
      ['no gateway', async (s) => nbctl(s, 'clear', 'logical_router_port', 'lr0-public', 'ha_chassis_group')],
    ]), 120_000);
});
