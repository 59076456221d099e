// Loads an NB (and optionally SB) snapshot from disk into the views the
// compiler reads. Accepted inputs: an ovsdb standalone database file (what
// `ovsdb-client backup` and `ovsdb-tool create` write) or a JSON object
// `{ table: { uuid: { column: wire-datum } } }` (the shape of a monitor reply).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSchema, type DatabaseSchema } from '../ovsdb/schema.js';
import { decodeRow } from '../ovsdb/datum.js';
import { parseDbFile } from '../ovsdb/dbfile.js';
import type { NbView, SbView } from '../compile/context.js';

type AnyView = Record<string, ReadonlyMap<string, unknown>>;

const schemaCache = new Map<string, DatabaseSchema>();

/** The OVN 23.03.1 schemas shipped in schemas/. */
export function bundledSchema(which: 'nb' | 'sb'): DatabaseSchema {
  const cached = schemaCache.get(which);
  if (cached) return cached;
  const file = fileURLToPath(new URL(`../../schemas/ovn-${which}.ovsschema`, import.meta.url));
  const schema = parseSchema(JSON.parse(readFileSync(file, 'utf8')));
  schemaCache.set(which, schema);
  return schema;
}

/** Decodes wire-format rows into a view with every table of `schema` present. */
export function viewFromWireTables(
  schema: DatabaseSchema,
  tables: Readonly<Record<string, ReadonlyMap<string, Record<string, unknown>> | Readonly<Record<string, Record<string, unknown>>>>>,
): AnyView {
  const view: Record<string, Map<string, unknown>> = {};
  for (const [name, table] of Object.entries(schema.tables)) {
    const rows = new Map<string, unknown>();
    const src = tables[name];
    if (src) {
      const entries = src instanceof Map ? src.entries() : Object.entries(src);
      for (const [uuid, json] of entries as Iterable<[string, Record<string, unknown>]>) {
        rows.set(uuid, Object.freeze(decodeRow(table, uuid, json)));
      }
    }
    view[name] = rows;
  }
  return view;
}

function loadView(text: string, which: 'nb' | 'sb'): AnyView {
  const schema = bundledSchema(which);
  if (text.startsWith('OVSDB ')) {
    const db = parseDbFile(text);
    return viewFromWireTables(schema, db.tables);
  }
  const json = JSON.parse(text) as Record<string, Record<string, Record<string, unknown>>>;
  return viewFromWireTables(schema, json);
}

export function loadNbView(path: string): NbView {
  return loadView(readFileSync(path, 'utf8'), 'nb') as unknown as NbView;
}

export function loadSbView(path?: string): SbView {
  if (!path) return viewFromWireTables(bundledSchema('sb'), {}) as unknown as SbView;
  return loadView(readFileSync(path, 'utf8'), 'sb') as unknown as SbView;
}
