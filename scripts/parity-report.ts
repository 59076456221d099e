// Scores every lflows/ scenario: our replay vs the reference output.
//   npx tsx scripts/parity-report.ts [--update-baseline] [--diff NAME] [--markdown]
import { writeFileSync } from 'node:fs';
import { listScenarios, scoreScenario } from '../src/replay/parity.js';

const root = new URL('../lflows/', import.meta.url).pathname;
const args = process.argv.slice(2);
const diffName = args.includes('--diff') ? args[args.indexOf('--diff') + 1] : undefined;
const names = diffName ? [diffName] : listScenarios(root);
const scores = names.map((n) => scoreScenario(root, n));

let fm = 0, ft = 0, fx = 0, rm = 0, rt = 0, rx = 0, identical = 0, rfm = 0, rft = 0;
const md = args.includes('--markdown');
if (md) console.log('| scenario | flows matched | extra flows | SB rows matched | extra rows |\n|---|---|---|---|---|');
for (const s of scores) {
  rfm += s.routerFlowsMatched; rft += s.routerFlowsTotal;
  fm += s.flowsMatched; ft += s.flowsTotal; fx += s.flowsExtra; rm += s.rowsMatched; rt += s.rowsTotal; rx += s.rowsExtra;
  const ok = s.flowsMatched === s.flowsTotal && s.flowsExtra === 0 && s.rowsMatched === s.rowsTotal && s.rowsExtra === 0;
  if (ok) identical++;
  const line = md
    ? `| ${s.name} | ${s.flowsMatched}/${s.flowsTotal} | ${s.flowsExtra} | ${s.rowsMatched}/${s.rowsTotal} | ${s.rowsExtra} |`
    : `${ok ? 'OK  ' : 'DIFF'} ${s.name.padEnd(44)} flows ${s.flowsMatched}/${s.flowsTotal} (+${s.flowsExtra})  rows ${s.rowsMatched}/${s.rowsTotal} (+${s.rowsExtra})${s.error ? '  ERROR ' + s.error.split('\n')[0] : ''}`;
  console.log(line);
}
console.log(`\nswitch datapaths: ${fm - rfm}/${ft - rft} reference flows matched; router datapaths: ${rfm}/${rft}`);
console.log(`${identical}/${scores.length} scenarios identical; flows ${fm}/${ft} matched (${ft ? ((100 * fm) / ft).toFixed(1) : 0} %), ${fx} extra; SB rows ${rm}/${rt} matched, ${rx} extra`);
// SB rows per table, summed over the scenarios.
const perTable = new Map<string, [number, number, number]>();
for (const sc of scores) for (const t of sc.rowTables) {
  const a = perTable.get(t.table) ?? [0, 0, 0];
  perTable.set(t.table, [a[0] + t.matched, a[1] + t.total, a[2] + t.extra]);
}
console.log('SB rows per table: ' + [...perTable].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, [m, n, x]]) => `${t} ${m}/${n}${x ? ` (+${x})` : ''}`).join(', '));
if (diffName) {
  const s = scores[0]!;
  if (s.error) console.log(s.error);
  console.log(s.flowDiff);
  for (const t of s.rowTables) for (const d of t.differences) console.log(d);
}
if (args.includes('--update-baseline')) {
  const baseline = Object.fromEntries(scores.map((s) => [s.name, { flowsMissing: s.flowsTotal - s.flowsMatched, flowsExtra: s.flowsExtra, rowsMissing: s.rowsTotal - s.rowsMatched, rowsExtra: s.rowsExtra }]));
  writeFileSync(new URL('../lflows/parity-baseline.json', import.meta.url), JSON.stringify(baseline, null, 1) + '\n');
  console.log('baseline written to lflows/parity-baseline.json');
}
