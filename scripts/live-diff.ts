// Runs one lflows/ scenario live with both daemons and prints the differences.
//   npx tsx scripts/live-diff.ts NAME
import { join } from 'node:path';
import { compareLflowLists, formatComparison } from '../src/sb/lflow-compare.js';
import { compareNormalSb, normaliseSb } from '../src/replay/sb-compare.js';
import { lflowList, REPO, sbView, startSide, waitSb } from '../test/parity/live-harness.js';

const name = process.argv[2]!;
const dir = join(REPO, 'lflows', name);
const [ref, ts] = await Promise.all([startSide('reference', join(dir, 'nb.db'), join(dir, 'sb.db')), startSide('ts', join(dir, 'nb.db'), join(dir, 'sb.db'))]);
try {
  await Promise.all([waitSb(ref), waitSb(ts)]);
  console.log(formatComparison(compareLflowLists(await lflowList(ref), await lflowList(ts)), 200));
  for (const t of compareNormalSb(normaliseSb(await sbView(ref)), normaliseSb(await sbView(ts)))) for (const d of t.differences) console.log(d);
} finally {
  await Promise.all([ref.stop(), ts.stop()]);
}
process.exit(0);
