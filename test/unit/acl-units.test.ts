// ACL flows are built once per ACL for all the switches of its port groups
// (src/compile/acl-groups.ts).  These cases pin down what the random property
// test reaches only by chance: an ACL added to a port group rebuilds no
// switch unit, yet when it makes the group stateful every switch of the
// group changes its own flows; and each step equals a fresh compile.
import { describe, expect, it } from 'vitest';
import { Compiler } from '../../src/compile/compiler.js';
import { compile } from '../../src/compile/compile.js';
import { compareDesired } from '../../src/compile/compare-desired.js';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import type { NbView, SbView } from '../../src/compile/context.js';
import { apply, emptyView, type Change } from '../helpers/nb-changes.js';

const FRESH = { macPrefix: '0a:00:00', svcMonitorMac: '0a:00:00:00:00:01' };
const SB = viewFromWireTables(bundledSchema('sb'), {}) as unknown as SbView;
const u = (prefix: string, i: number): string => `${prefix}${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
const set = (xs: readonly unknown[]): unknown => ['set', xs];
const refs = (us: readonly string[]): unknown => set(us.map((x) => ['uuid', x]));

const SW = [0, 1, 2].map((i) => u('1000', i));
const LSP = [0, 1, 2, 3, 4, 5].map((i) => u('2000', i));
const PG = u('4000', 0);
const ACL_DROP = u('3000', 0);
const ACL_STATEFUL = u('3000', 1);

function acl(uuid: string, action: string): Change {
  return { table: 'ACL', uuid, row: { direction: 'from-lport', priority: 1001, match: 'ip4', action } };
}

function topology(): NbView {
  let v = emptyView();
  for (let p = 0; p < LSP.length; p++) {
    v = apply(v, { table: 'Logical_Switch_Port', uuid: LSP[p]!, row: { name: `p${p}`, addresses: set([`00:00:00:00:00:0${p + 1}`]) } });
  }
  for (let s = 0; s < SW.length; s++) {
    v = apply(v, { table: 'Logical_Switch', uuid: SW[s]!, row: { name: `sw${s}`, ports: refs([LSP[2 * s]!, LSP[2 * s + 1]!]) } });
  }
  v = apply(v, acl(ACL_DROP, 'drop'));
  v = apply(v, acl(ACL_STATEFUL, 'allow-related'));
  // The group spans sw0 and sw1 (one port each); sw2 has no port in it.
  return apply(v, { table: 'Port_Group', uuid: PG, row: { name: 'pg0', ports: refs([LSP[0]!, LSP[2]!]), acls: refs([ACL_DROP]) } });
}

function step(compiler: Compiler, nb: NbView) {
  const r = compiler.run({ nb, sb: SB });
  expect(compareDesired(r.desired, compile({ nb, sb: SB }, FRESH))).toEqual([]);
  return r;
}

describe('ACL units', () => {
  it('adding an ACL to a port group rebuilds no switch unit; a stateful one changes the group switches own flows', () => {
    const compiler = new Compiler(FRESH);
    let nb = topology();
    step(compiler, nb);
    const before = compiler.describeGraph();
    expect(before).toContain(`acl/${ACL_DROP}/n/b${PG}/00000000: 1 flows on 2 switches`);

    // A second stateless ACL would not change any switch's own flows.
    nb = apply(nb, { table: 'ACL', uuid: u('3000', 2), row: { direction: 'to-lport', priority: 1002, match: 'tcp', action: 'allow' } });
    nb = apply(nb, { table: 'Port_Group', uuid: PG, toggle: { column: 'acls', value: u('3000', 2) } });
    const r1 = step(compiler, nb);
    expect(r1.stats.switchUnitsRecomputed).toBe(0);
    expect(compiler.describeGraph()).toContain(`acl/${u('3000', 2)}/n/`);

    // allow-related makes sw0 and sw1 stateful: their own flows and every ACL of the group change kind.
    nb = apply(nb, { table: 'Port_Group', uuid: PG, toggle: { column: 'acls', value: ACL_STATEFUL } });
    const r2 = step(compiler, nb);
    expect(r2.stats.switchUnitsRecomputed).toBe(2);
    const graph = compiler.describeGraph();
    expect(graph).toContain(`acl/${ACL_DROP}/s/b${PG}/00000000: 2 flows on 2 switches`);
    expect(graph).not.toContain(`acl/${ACL_DROP}/n/`);

    // A port of sw2 joins the group: sw2 gets the group's ACLs, the others keep theirs.
    nb = apply(nb, { table: 'Port_Group', uuid: PG, toggle: { column: 'ports', value: LSP[4]! } });
    step(compiler, nb);
    expect(compiler.describeGraph()).toContain(`acl/${ACL_DROP}/s/b${PG}/00000000: 2 flows on 3 switches`);

    // The group goes away: no ACL unit is left.
    nb = apply(nb, { table: 'Port_Group', uuid: PG, row: undefined });
    step(compiler, nb);
    expect(compiler.describeGraph()).not.toContain('acl/');
  });
});
