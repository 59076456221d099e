/**
 * The cost of one incremental compile, in-process and without servers: the NB snapshot of
 * a scale (bench/out/nb-<scale>.db, made by run.ts) is compiled once, then one kind of NB
 * change is made --runs times, each followed by a compile, and the medians of the compile's
 * phases are printed. Steadier than the operations against real servers on a noisy
 * machine, so small changes to the per-run work show in it. The SB stays empty (tunnel
 * keys are allocated from scratch); the SB diff is not part of it.
 *
 *   --change port    one port's external_ids (what every change pays: topology, bindings, walks)
 *   --change vip     a VIP added to the first load balancer
 *   --change switch  a new switch with one port, in the first load balancer group
 *   --change acl     an ACL added to the first port group
 *
 *   npx tsx bench/northd/base-profile.ts --scale large [--change port] [--runs 40] [--profile [--save FILE.cpuprofile]]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { loadNbView, loadSbView } from '../../src/replay/load.js';
import { ShardedMap } from '../../src/replica/sharded-map.js';
import { Compiler } from '../../src/compile/compiler.js';
import { randomFresh } from '../../src/compile/global.js';
import type { NbView } from '../../src/compile/context.js';
import { summarizeProfile, formatSummary, type CpuProfile } from '../client/profile-summary.js';
import { argv, opt } from './args.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCALE = opt('--scale', 'large');
const RUNS = Number(opt('--runs', '40'));
const CHANGE = opt('--change', 'port');

type Row = Record<string, unknown> & { _uuid: string };
type Tables = Record<string, ShardedMap<Row>>;

const plain = loadNbView(`${REPO}bench/out/nb-${SCALE}.db`);
let nb = Object.fromEntries(Object.entries(plain).map(([t, m]) => [t, ShardedMap.from(m as unknown as ReadonlyMap<string, Row>)])) as Tables;

/** A new NB version with `rows` set (undefined deletes) in `table`, other tables kept. */
function put(table: string, rows: [string, Row | undefined][]): void {
  const e = nb[table]!.edit();
  for (const [u, r] of rows) if (r) e.set(u, Object.freeze(r));
  else e.delete(u);
  nb = { ...nb, [table]: e.finish() };
}

const first = (table: string): Row => nb[table]!.values().next().value as Row;
const lsps = [...nb['Logical_Switch_Port']!.values()];
const lsp0 = lsps[0]!;

const CHANGES: Record<string, (i: number) => void> = {
  port: (i) => {
    const p = lsps[(i * 7919) % lsps.length]!;
    put('Logical_Switch_Port', [[p._uuid, { ...p, external_ids: { ...(p['external_ids'] as object), touched: String(i) } }]]);
  },
  vip: (i) => {
    const lb = nb['Load_Balancer']!.get(first('Load_Balancer')._uuid)!;
    put('Load_Balancer', [[lb._uuid, { ...lb, vips: { ...(lb['vips'] as object), [`172.31.${i >> 8}.${i & 255}:80`]: '10.128.0.2:8080,10.128.0.3:8080' } }]]);
  },
  switch: (i) => {
    const ls = `bench-ls-${i}`;
    const lsp = `bench-lsp-${i}`;
    const lbg = nb['Load_Balancer_Group']!.size ? first('Load_Balancer_Group')._uuid : undefined;
    put('Logical_Switch_Port', [[lsp, { ...lsp0, _uuid: lsp, name: `bench-ls${i}-p0`, addresses: [`0a:58:0a:c9:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')} 10.201.${i >> 8}.${i & 255}`], external_ids: {} }]]);
    const ls0 = first('Logical_Switch');
    put('Logical_Switch', [[ls, { ...ls0, _uuid: ls, name: ls, ports: [lsp], acls: [], load_balancer: [], load_balancer_group: lbg ? [lbg] : [], other_config: {}, external_ids: {} }]]);
  },
  acl: (i) => {
    const pg = nb['Port_Group']!.get(first('Port_Group')._uuid)!;
    const acl0 = first('ACL');
    const u = `bench-acl-${i}`;
    put('ACL', [[u, { ...acl0, _uuid: u, direction: 'to-lport', priority: 1100 + (i % 900), match: `outport == @${pg['name'] as string} && tcp.dst == ${9000 + i}`, action: 'allow-related', name: undefined, label: 0, external_ids: {} }]]);
    put('Port_Group', [[pg._uuid, { ...pg, acls: [...(pg['acls'] as string[]), u] }]]);
  },
};
const change = CHANGES[CHANGE];
if (!change) throw new Error(`--change: one of ${Object.keys(CHANGES).join(', ')}`);

const sb = loadSbView();
const compiler = new Compiler(randomFresh(() => 0.5));
let t = performance.now();
compiler.run({ nb: nb as unknown as NbView, sb });
console.log(`cold compile: ${(performance.now() - t).toFixed(0)} ms`);
const samples: Record<string, number[]> = {};
const session = new Session();
if (argv.includes('--profile')) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
for (let i = 0; i < RUNS; i++) {
  change(i);
  t = performance.now();
  const r = compiler.run({ nb: nb as unknown as NbView, sb });
  const ms = { ...r.stats.ms, wall: performance.now() - t };
  for (const [k, v] of Object.entries(ms)) (samples[k] ??= []).push(v);
}
const med = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${CHANGE}, ${RUNS} runs, medians: ` + Object.entries(samples).map(([k, v]) => `${k} ${med(v).toFixed(2)}`).join(', '));
if (argv.includes('--profile')) {
  const { profile } = await session.post('Profiler.stop');
  console.log(formatSummary(summarizeProfile(profile as unknown as CpuProfile), 40));
  const out = opt('--save', '');
  if (out) writeFileSync(out, JSON.stringify(profile));
}
