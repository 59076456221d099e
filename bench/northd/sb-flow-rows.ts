/**
 * Two SBs' logical flows compared row by row — each Logical_Flow with the datapaths of its
 * logical_datapath or logical_dp_group, named by Datapath_Binding external_ids:name — instead
 * of through `ovn-sbctl lflow-list`, whose text for 500 gateway routers sharing a load balancer
 * group is longer than Node's largest string.  A flow counts once per datapath, keyed by what an
 * lflow-list line shows (pipeline, table, priority, match, actions): the same multiset
 * comparison per datapath as compareLflowLists().
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);
type Json = unknown;
type Row = Record<string, Json>;

async function select(remote: string, table: string, columns: readonly string[]): Promise<Row[]> {
  const q = JSON.stringify(['OVN_Southbound', { op: 'select', table, where: [], columns }]);
  const { stdout } = await exec('ovsdb-client', ['transact', remote, q], { maxBuffer: 1 << 30, timeout: 900_000 });
  return (JSON.parse(stdout) as [{ rows: Row[] }])[0].rows;
}

const uuidOf = (v: Json): string => (v as [string, string])[1];
/** An OVSDB set value as a list (a one-element set comes as the bare element). */
const listOf = (v: Json): Json[] => (Array.isArray(v) && v[0] === 'set' ? (v[1] as Json[]) : [v]);
const mapOf = (v: Json): Record<string, string> => Object.fromEntries((v as ['map', [string, string][]])[1]);

/** flow key → datapath name → count. */
export type FlowMultiset = Map<string, Map<string, number>>;

export async function sbFlowMultiset(remote: string): Promise<FlowMultiset> {
  const name = new Map<string, string>();
  for (const d of await select(remote, 'Datapath_Binding', ['_uuid', 'external_ids'])) name.set(uuidOf(d['_uuid']), mapOf(d['external_ids'])['name'] ?? uuidOf(d['_uuid']));
  const members = new Map<string, string[]>();
  for (const g of await select(remote, 'Logical_DP_Group', ['_uuid', 'datapaths'])) members.set(uuidOf(g['_uuid']), listOf(g['datapaths']).map(uuidOf));
  const out: FlowMultiset = new Map();
  for (const f of await select(remote, 'Logical_Flow', ['pipeline', 'table_id', 'priority', 'match', 'actions', 'logical_datapath', 'logical_dp_group'])) {
    const key = `${f['pipeline'] as string}|${f['table_id'] as number}|${f['priority'] as number}|${f['match'] as string}|${f['actions'] as string}`;
    const dp = listOf(f['logical_datapath']);
    const grp = listOf(f['logical_dp_group']);
    const uuids = dp.length ? dp.map(uuidOf) : grp.length ? (members.get(uuidOf(grp[0])) ?? []) : [];
    let m = out.get(key);
    if (!m) out.set(key, (m = new Map()));
    for (const u of uuids) {
      const n = name.get(u) ?? u;
      m.set(n, (m.get(n) ?? 0) + 1);
    }
  }
  return out;
}

/** Matched / total (the reference's flow-datapath pairs) / extra (ours beyond them), and a few differences. */
export function compareFlowMultisets(ref: FlowMultiset, ours: FlowMultiset): { matched: number; total: number; extra: number; identical: boolean; examples: string[] } {
  let matched = 0;
  let total = 0;
  let oursTotal = 0;
  const examples: string[] = [];
  for (const [key, dps] of ref) {
    const o = ours.get(key);
    for (const [dp, n] of dps) {
      total += n;
      const k = Math.min(n, o?.get(dp) ?? 0);
      matched += k;
      if (k < n && examples.length < 10) examples.push(`missing on ${dp}: ${key}`);
    }
  }
  for (const [key, dps] of ours) {
    const r = ref.get(key);
    for (const [dp, n] of dps) {
      oursTotal += n;
      if (n > (r?.get(dp) ?? 0) && examples.length < 20) examples.push(`extra on ${dp}: ${key}`);
    }
  }
  const extra = oursTotal - matched;
  return { matched, total, extra, identical: matched === total && extra === 0, examples };
}
