/**
 * The fixed cost of an incremental compile, in-process and without servers: the NB
 * snapshot of a scale (bench/out/nb-<scale>.db, made by run.ts) is compiled once, then
 * one port's external_ids is changed N times and each run's phases are printed as
 * medians. What every NB change pays before its own units: the topology, bindings,
 * the walk over the switches. The SB stays empty (keys allocated from scratch).
 *
 *   npx tsx bench/northd/base-profile.ts --scale large [--runs 40] [--profile [--save FILE.cpuprofile]]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadNbView, loadSbView } from '../../src/replay/load.js';
import { ShardedMap } from '../../src/replica/sharded-map.js';
import { Compiler } from '../../src/compile/compiler.js';
import { randomFresh } from '../../src/compile/global.js';
import type { NbView } from '../../src/compile/context.js';
import type { NbLogicalSwitchPort } from '../../src/model/nb.js';
import { Session } from 'node:inspector/promises';
import { summarizeProfile, formatSummary, type CpuProfile } from '../client/profile-summary.js';
import { argv, opt } from './args.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCALE = opt('--scale', 'large');
const RUNS = Number(opt('--runs', '40'));

const plain = loadNbView(`${REPO}bench/out/nb-${SCALE}.db`);
let nb = Object.fromEntries(Object.entries(plain).map(([t, m]) => [t, ShardedMap.from(m as ReadonlyMap<string, unknown>)])) as unknown as NbView;
const sb = loadSbView();
const compiler = new Compiler(randomFresh(() => 0.5));
let t = performance.now();
compiler.run({ nb, sb });
console.log(`cold compile: ${(performance.now() - t).toFixed(0)} ms`);
const lsps = [...nb.Logical_Switch_Port.values()];
const samples: Record<string, number[]> = {};
const session = new Session();
if (argv.includes('--profile')) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
for (let i = 0; i < RUNS; i++) {
  const p = lsps[(i * 7919) % lsps.length]!;
  const e = (nb.Logical_Switch_Port as unknown as ShardedMap<NbLogicalSwitchPort>).edit();
  e.set(p._uuid, { ...p, external_ids: { ...p.external_ids, touched: String(i) } });
  nb = { ...nb, Logical_Switch_Port: e.finish() };
  t = performance.now();
  const r = compiler.run({ nb, sb });
  const ms = { ...r.stats.ms, wall: performance.now() - t };
  for (const [k, v] of Object.entries(ms)) (samples[k] ??= []).push(v);
}
const med = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${RUNS} runs, medians: ` + Object.entries(samples).map(([k, v]) => `${k} ${med(v).toFixed(2)}`).join(', '));
if (argv.includes('--profile')) {
  const { profile } = await session.post('Profiler.stop');
  console.log(formatSummary(summarizeProfile(profile as unknown as CpuProfile), 40));
  const out = opt('--save', '');
  if (out) writeFileSync(out, JSON.stringify(profile));
}
