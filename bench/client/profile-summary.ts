/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time per
 * function and per source file, plus total (inclusive) time of a function.
 *
 *   npx tsx bench/client/profile-summary.ts FILE.cpuprofile [--top 25] [--from-ms A] [--to-ms B]
 *
 * --from-ms/--to-ms: only the samples taken that many ms after the profile started.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FnStat {
  name: string;
  where: string;
  selfMs: number;
  totalMs: number;
  selfPct: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: FnStat[];
  files: { file: string; selfMs: number; selfPct: number }[];
}

function shortUrl(url: string): string {
  if (!url) return '';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + 1);
  const i = u.indexOf('/work/main/');
  return i >= 0 ? u.slice(i + '/work/main/'.length) : u;
}

/** `window`: only samples whose timestamp (µs, profile clock) lies in [from, to]. */
export function summarizeProfile(p: CpuProfile, window?: readonly [number, number]): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute the interval to the sample that follows it.
  let ts = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    ts += p.timeDeltas[i] ?? 0;
    if (window && (ts < window[0] || ts > window[1])) continue;
    const dt = p.timeDeltas[i + 1] ?? 0;
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const key = (cf: CallFrame): string =>
    `${cf.functionName || '(anonymous)'}\u0000${shortUrl(cf.url)}${cf.lineNumber > 0 ? `:${cf.lineNumber + 1}` : ''}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  let all = 0;
  for (const [id, us] of selfUs) {
    all += us;
    const n = byId.get(id)!;
    const k = key(n.callFrame);
    self.set(k, (self.get(k) ?? 0) + us);
    const f = shortUrl(n.callFrame.url) || n.callFrame.functionName;
    files.set(f, (files.get(f) ?? 0) + us);
    // Inclusive: count once per distinct function on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(byId.get(cur)!.callFrame);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + us);
    }
  }
  const functions: FnStat[] = [...self.entries()]
    .map(([k, us]) => {
      const [name, where] = k.split('\u0000') as [string, string];
      return { name, where, selfMs: us / 1000, totalMs: (total.get(k) ?? 0) / 1000, selfPct: (100 * us) / (all || 1) };
    })
    .sort((a, b) => b.selfMs - a.selfMs);
  return {
    totalMs: all / 1000,
    functions,
    files: [...files.entries()]
      .map(([file, us]) => ({ file, selfMs: us / 1000, selfPct: (100 * us) / (all || 1) }))
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function formatSummary(s: ProfileSummary, top = 25): string {
  const lines = [`sampled ${s.totalMs.toFixed(0)} ms; top self time:`];
  lines.push(`  ${'self ms'.padStart(8)} ${'self%'.padStart(6)} ${'total ms'.padStart(9)}  function (location)`);
  for (const f of s.functions.slice(0, top)) {
    lines.push(`  ${f.selfMs.toFixed(0).padStart(8)} ${f.selfPct.toFixed(1).padStart(6)} ${f.totalMs.toFixed(0).padStart(9)}  ${f.name} (${f.where})`);
  }
  lines.push('self time by file:');
  for (const f of s.files.slice(0, 12)) lines.push(`  ${f.selfMs.toFixed(0).padStart(8)} ${f.selfPct.toFixed(1).padStart(6)}  ${f.file}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile-summary.ts FILE.cpuprofile [--top N]');
    process.exit(2);
  }
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const top = arg('--top') ?? 25;
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const from = arg('--from-ms');
  const to = arg('--to-ms');
  const window = from !== undefined || to !== undefined ? ([p.startTime + (from ?? 0) * 1000, p.startTime + (to ?? Infinity) * 1000] as const) : undefined;
  console.log(formatSummary(summarizeProfile(p, window), top));
}
