// Prints logical flows exactly as `ovn-sbctl lflow-list` does: one block per
// datapath and pipeline, flows sorted by datapath name, datapath UUID,
// pipeline (ingress first), table, priority (descending), match, actions.

export interface ListedFlow {
  readonly dpName: string;
  readonly dpUuid: string;
  readonly pipeline: 'ingress' | 'egress';
  readonly table: number;
  readonly stageName: string;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
}

/** strcmp over UTF-8 bytes, like the C tool. */
export function byteCompare(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function compareListedFlows(a: ListedFlow, b: ListedFlow): number {
  return (
    byteCompare(a.dpName, b.dpName) ||
    (a.dpUuid < b.dpUuid ? -1 : a.dpUuid > b.dpUuid ? 1 : 0) ||
    (a.pipeline === b.pipeline ? 0 : a.pipeline === 'ingress' ? -1 : 1) ||
    a.table - b.table ||
    b.priority - a.priority ||
    byteCompare(a.match, b.match) ||
    byteCompare(a.actions, b.actions)
  );
}

function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatLflowList(flows: ListedFlow[]): string {
  const sorted = [...flows].sort(compareListedFlows);
  const lines: string[] = [];
  let prev: ListedFlow | undefined;
  for (const f of sorted) {
    if (!prev || prev.dpUuid !== f.dpUuid || prev.pipeline !== f.pipeline) {
      lines.push(`Datapath: "${f.dpName}" (${f.dpUuid})  Pipeline: ${f.pipeline}`);
    }
    lines.push(
      `  table=${padEnd(String(f.table), 2)}(${padEnd(f.stageName, 19)}), priority=${padEnd(String(f.priority), 5)}, match=(${f.match}), action=(${f.actions})`,
    );
    prev = f;
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * Splits lflow-list output into per-datapath blocks keyed by
 * "name|pipeline", with the datapath UUID removed, so outputs from two
 * databases (different datapath UUIDs) can be compared.
 */
export function splitByDatapath(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  const header = /^Datapath: (.*) \(([0-9a-f-]{36})\)  Pipeline: (ingress|egress)$/;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const m = header.exec(line);
    if (m) {
      let key = `${m[1]}|${m[3]}`;
      // Two datapaths with the same name: keep both, in order.
      for (let i = 2; out.has(key); i++) key = `${m[1]}#${i}|${m[3]}`;
      cur = [];
      out.set(key, cur);
    } else if (cur) {
      cur.push(line);
    }
  }
  return out;
}

/** Parses `ovn-sbctl lflow-list` output back into flow records (inverse of formatLflowList). */
export function parseLflowList(text: string): ListedFlow[] {
  const out: ListedFlow[] = [];
  const header = /^Datapath: "(.*)" \(([0-9a-f-]{36})\)  Pipeline: (ingress|egress)$/;
  const flow = /^  table=(\d+) *\((.*?) *\), priority=(\d+) *, match=\((.*)$/;
  let dp: { name: string; uuid: string; pipeline: 'ingress' | 'egress' } | undefined;
  for (const line of text.split('\n')) {
    const h = header.exec(line);
    if (h) {
      dp = { name: h[1]!, uuid: h[2]!, pipeline: h[3] as 'ingress' | 'egress' };
      continue;
    }
    const f = flow.exec(line);
    if (!f || !dp) continue;
    const rest = f[4]!;
    const sep = rest.indexOf('), action=(');
    if (sep < 0 || !rest.endsWith(')')) continue;
    out.push({
      dpName: dp.name,
      dpUuid: dp.uuid,
      pipeline: dp.pipeline,
      table: Number(f[1]),
      stageName: f[2]!,
      priority: Number(f[3]),
      match: rest.slice(0, sep),
      actions: rest.slice(sep + '), action=('.length, -1),
    });
  }
  return out;
}
