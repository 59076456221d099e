// The JSON text of a Logical_Flow insert, written directly: a cold start sends
// ≈ 66,000 of them, and going through the generic path (drop defaults, row
// object, wire object, JSON.stringify of the whole) took about twice as long.
// Same operation as encodeOperation(schema, insert(withoutDefaults(cols))) —
// test/unit/lflow-insert.test.ts checks that — for the columns the differ
// writes; any other column is a programming error.

const STRING_COLUMNS = new Set(['pipeline', 'match', 'actions', 'controller_meter']);
const INTEGER_COLUMNS = new Set(['table_id', 'priority']);
const REF_COLUMNS = new Set(['logical_datapath', 'logical_dp_group']);
const MAP_COLUMNS = new Set(['tags', 'external_ids']);

function encodeStringMap(m: Readonly<Record<string, unknown>>): string | undefined {
  const pairs: string[] = [];
  for (const k in m) {
    const v = m[k];
    if (typeof v !== 'string') throw new Error(`Logical_Flow map value ${JSON.stringify(v)} is not a string`);
    pairs.push('[' + JSON.stringify(k) + ',' + JSON.stringify(v) + ']');
  }
  return pairs.length ? '["map",[' + pairs.join(',') + ']]' : undefined;
}

/**
 * `cols`: the flow's columns, references already UUID strings. The text is
 * joined from its parts, so it is one flat string (text built with `+` is a
 * tree of pieces in V8, several times the memory, until it is flattened).
 */
export function encodeFlowInsert(uuid: string, cols: Readonly<Record<string, unknown>>): string {
  const parts: string[] = ['{"op":"insert","table":"Logical_Flow","uuid":"', uuid, '","row":{'];
  let first = true;
  for (const k in cols) {
    const v = cols[k];
    if (v === undefined) continue;
    let text: string | undefined;
    if (STRING_COLUMNS.has(k)) {
      if (typeof v !== 'string') throw new Error(`Logical_Flow.${k}: ${JSON.stringify(v)} is not a string`);
      text = JSON.stringify(v);
    } else if (INTEGER_COLUMNS.has(k)) {
      if (!Number.isInteger(v)) throw new Error(`Logical_Flow.${k}: ${JSON.stringify(v)} is not an integer`);
      text = String(v);
    } else if (REF_COLUMNS.has(k)) {
      if (typeof v !== 'string') throw new Error(`Logical_Flow.${k}: ${String(v)} is not a UUID`);
      text = '["uuid","' + v + '"]';
    } else if (MAP_COLUMNS.has(k)) {
      text = encodeStringMap(v as Readonly<Record<string, unknown>>);
    } else {
      throw new Error(`Logical_Flow has no column ${k} the differ writes`);
    }
    if (text === undefined) continue;
    parts.push(first ? '"' : ',"', k, '":', text);
    first = false;
  }
  parts.push('}}');
  return parts.join('');
}
