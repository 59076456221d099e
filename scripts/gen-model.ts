// Generates the typed row models src/model/nb.ts and src/model/sb.ts from
// schemas/ovn-nb.ovsschema and schemas/ovn-sb.ovsschema.
//
//   npm run gen:model                 # writes src/model/{nb,sb}.ts
//   tsx scripts/gen-model.ts --out D  # writes D/{nb,sb}.ts (used by the freshness test)
//
// Naming rule: prefix (Nb/Sb) + the table name with its underscores removed
// and the first letter of each part upper-cased, the rest kept as written:
//   Logical_Switch_Port → NbLogicalSwitchPort, ACL → NbACL,
//   NB_Global → NbNBGlobal, HA_Chassis_Group → SbHAChassisGroup.
//
// JS representation of a row (shared contract with src/ovsdb):
//   integer/real → number, boolean → boolean, string → string,
//   uuid → string (UUID text), enum → union of literals;
//   max 1 & min 1 → T, max 1 & min 0 → T | undefined,
//   max > 1 → readonly T[], map → Readonly<Record<string, V>>;
//   every row has readonly _uuid: string.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Base {
  type: string;
  enum?: (string | number | boolean)[];
  minInteger?: number;
  maxInteger?: number;
  minReal?: number;
  maxReal?: number;
  minLength?: number;
  maxLength?: number;
  refTable?: string;
  refType?: 'strong' | 'weak';
}

interface ColType {
  key: Base;
  value?: Base;
  min: number;
  max: number; // Infinity = unlimited
}

const ATOMIC = new Set(['integer', 'real', 'boolean', 'string', 'uuid']);

function fail(msg: string): never {
  throw new Error(`gen-model: ${msg}`);
}

function parseBase(j: Json | undefined, where: string): Base {
  if (typeof j === 'string') {
    if (!ATOMIC.has(j)) fail(`${where}: unknown atomic type ${j}`);
    return { type: j };
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) fail(`${where}: bad base type`);
  const type = j['type'];
  if (typeof type !== 'string' || !ATOMIC.has(type)) fail(`${where}: bad atomic type`);
  const b: Base = { type };
  const e = j['enum'];
  if (e !== undefined) {
    if (Array.isArray(e) && e[0] === 'set' && Array.isArray(e[1])) b.enum = e[1] as (string | number | boolean)[];
    else b.enum = [e as string | number | boolean];
  }
  for (const k of ['minInteger', 'maxInteger', 'minReal', 'maxReal', 'minLength', 'maxLength'] as const) {
    const v = j[k];
    if (typeof v === 'number') b[k] = v;
  }
  if (typeof j['refTable'] === 'string') {
    b.refTable = j['refTable'];
    b.refType = j['refType'] === 'weak' ? 'weak' : 'strong';
  }
  return b;
}

function parseColType(j: Json | undefined, where: string): ColType {
  if (typeof j === 'string') return { key: parseBase(j, where), min: 1, max: 1 };
  if (!j || typeof j !== 'object' || Array.isArray(j)) fail(`${where}: bad column type`);
  const key = parseBase(j['key'], `${where}.key`);
  const value = j['value'] !== undefined ? parseBase(j['value'], `${where}.value`) : undefined;
  const min = j['min'] === undefined ? 1 : Number(j['min']);
  const max = j['max'] === undefined ? 1 : j['max'] === 'unlimited' ? Infinity : Number(j['max']);
  if (!(min === 0 || min === 1) || !(max >= 1) || min > max) fail(`${where}: bad min/max`);
  return value ? { key, value, min, max } : { key, min, max };
}

function kindOf(t: ColType): 'scalar' | 'optional' | 'set' | 'map' {
  if (t.value) return 'map';
  if (t.max === 1) return t.min === 1 ? 'scalar' : 'optional';
  return 'set';
}

export function typeName(prefix: string, table: string): string {
  return (
    prefix +
    table
      .split('_')
      .filter((p) => p.length > 0)
      .map((p) => p[0]!.toUpperCase() + p.slice(1))
      .join('')
  );
}

function tsAtom(b: Base): string {
  if (b.enum) {
    const lits = b.enum.map((v) => JSON.stringify(v));
    return lits.length === 1 ? lits[0]! : `(${lits.join(' | ')})`;
  }
  switch (b.type) {
    case 'integer':
    case 'real':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}

function tsColumn(t: ColType): string {
  switch (kindOf(t)) {
    case 'map':
      return `Readonly<Record<string, ${tsAtom(t.value!)}>>`;
    case 'scalar':
      return tsAtom(t.key).replace(/^\((.*)\)$/, '$1');
    case 'optional':
      return `${tsAtom(t.key).replace(/^\((.*)\)$/, '$1')} | undefined`;
    case 'set':
      return `readonly ${tsAtom(t.key)}[]`;
  }
}

function propName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** A compact human description of a column type for the doc comment. */
function describe(t: ColType): string {
  const base = (b: Base): string => {
    let s = b.type;
    if (b.refTable) s += ` → ${b.refTable} (${b.refType})`;
    if (b.minInteger !== undefined || b.maxInteger !== undefined) s += ` [${b.minInteger ?? ''}..${b.maxInteger ?? ''}]`;
    if (b.minReal !== undefined || b.maxReal !== undefined) s += ` [${b.minReal ?? ''}..${b.maxReal ?? ''}]`;
    if (b.minLength !== undefined || b.maxLength !== undefined) s += ` length [${b.minLength ?? ''}..${b.maxLength ?? ''}]`;
    return s;
  };
  const card = `${t.min}..${t.max === Infinity ? '*' : t.max}`;
  return t.value ? `map ${base(t.key)} → ${base(t.value)}, ${card}` : `${base(t.key)}, ${card}`;
}

function lit(v: unknown): string {
  if (v === Infinity) return 'Infinity';
  if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]`;
  if (v && typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${propName(k)}: ${lit(x)}`);
    return `{ ${parts.join(', ')} }`;
  }
  return JSON.stringify(v);
}

export function generateModel(schemaText: string, prefix: 'Nb' | 'Sb', sourceName: string): string {
  const schema = JSON.parse(schemaText) as { [k: string]: Json };
  const dbName = schema['name'];
  const version = schema['version'];
  const cksum = schema['cksum'];
  const tablesJson = schema['tables'];
  if (typeof dbName !== 'string' || !tablesJson || typeof tablesJson !== 'object' || Array.isArray(tablesJson)) {
    fail(`${sourceName}: not a schema`);
  }
  const P = prefix.toUpperCase();
  const out: string[] = [];
  out.push(`// GENERATED by scripts/gen-model.ts from ${sourceName} (${dbName} ${String(version)}). DO NOT EDIT.`);
  out.push('// Regenerate with `npm run gen:model`.');
  out.push('');
  out.push(`import type { DbMeta } from './schema-meta.js';`);
  out.push('');

  const tableNames = Object.keys(tablesJson);
  const metaTables: string[] = [];
  for (const tname of tableNames) {
    const t = tablesJson[tname] as { [k: string]: Json };
    const cols = (t['columns'] ?? {}) as { [k: string]: Json };
    const iname = typeName(prefix, tname);
    out.push(`/** ${dbName} table \`${tname}\`${t['isRoot'] === true ? ' (root)' : ''}. */`);
    out.push(`export interface ${iname} {`);
    out.push('  readonly _uuid: string;');
    const colMetas: string[] = [];
    const refs: string[] = [];
    const colNames = Object.keys(cols);
    for (const cname of colNames) {
      const c = cols[cname] as { [k: string]: Json };
      const ct = parseColType(c['type'], `${tname}.${cname}`);
      const flags = [c['ephemeral'] === true ? 'ephemeral' : '', c['mutable'] === false ? 'immutable' : '']
        .filter(Boolean)
        .join(', ');
      out.push(`  /** ${describe(ct)}${flags ? ` (${flags})` : ''} */`);
      out.push(`  readonly ${propName(cname)}: ${tsColumn(ct)};`);
      const typeMeta: Record<string, unknown> = { key: ct.key };
      if (ct.value) typeMeta['value'] = ct.value;
      typeMeta['min'] = ct.min;
      typeMeta['max'] = ct.max;
      colMetas.push(
        `      ${propName(cname)}: ${lit({
          name: cname,
          type: typeMeta,
          kind: kindOf(ct),
          ephemeral: c['ephemeral'] === true,
          mutable: c['mutable'] !== false,
        })},`,
      );
      for (const [side, b] of [['key', ct.key], ['value', ct.value]] as const) {
        if (b?.refTable) refs.push(`      ${lit({ column: cname, side, refTable: b.refTable, refType: b.refType })},`);
      }
    }
    out.push('}');
    out.push('');
    const indexes = (Array.isArray(t['indexes']) ? t['indexes'] : []) as string[][];
    const m: string[] = [];
    m.push(`    ${propName(tname)}: {`);
    m.push(`      name: ${JSON.stringify(tname)},`);
    m.push(`      isRoot: ${t['isRoot'] === true},`);
    if (typeof t['maxRows'] === 'number') m.push(`      maxRows: ${t['maxRows']},`);
    m.push(`      indexes: ${lit(indexes)},`);
    m.push(`      columnNames: ${lit(colNames)},`);
    m.push('      columns: {');
    m.push(...colMetas.map((l) => '  ' + l));
    m.push('      },');
    if (refs.length) {
      m.push('      refs: [');
      m.push(...refs.map((l) => '  ' + l));
      m.push('      ],');
    } else {
      m.push('      refs: [],');
    }
    m.push('    },');
    metaTables.push(...m);
  }

  out.push(`/** Row type of every ${dbName} table, by table name. */`);
  out.push(`export type ${prefix}Tables = {`);
  for (const tname of tableNames) out.push(`  ${propName(tname)}: ${typeName(prefix, tname)};`);
  out.push('};');
  out.push('');
  out.push(`export type ${prefix}TableName = keyof ${prefix}Tables;`);
  out.push('');
  out.push(`export const ${P}_TABLE_NAMES: readonly ${prefix}TableName[] = ${lit(tableNames)};`);
  out.push('');
  out.push(`/** Table metadata of ${dbName} (column types, refs, roots, indexes). */`);
  out.push(`export const ${P}_META = {`);
  out.push(`  name: ${JSON.stringify(dbName)},`);
  out.push(`  version: ${JSON.stringify(version)},`);
  if (typeof cksum === 'string') out.push(`  cksum: ${JSON.stringify(cksum)},`);
  out.push(`  tableNames: ${P}_TABLE_NAMES,`);
  out.push('  tables: {');
  out.push(...metaTables);
  out.push('  },');
  out.push('} as const satisfies DbMeta;');
  out.push('');
  return out.join('\n');
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const TARGETS = [
  { schema: 'schemas/ovn-nb.ovsschema', prefix: 'Nb', file: 'nb.ts' },
  { schema: 'schemas/ovn-sb.ovsschema', prefix: 'Sb', file: 'sb.ts' },
] as const;

/** Generates both models; returns file name → contents. */
export function generateAll(root = ROOT): Record<string, string> {
  const files: Record<string, string> = {};
  for (const t of TARGETS) {
    files[t.file] = generateModel(readFileSync(join(root, t.schema), 'utf8'), t.prefix, t.schema);
  }
  return files;
}

function main(argv: string[]): void {
  const i = argv.indexOf('--out');
  const outDir = i >= 0 ? resolve(argv[i + 1] ?? fail('--out needs a directory')) : join(ROOT, 'src/model');
  mkdirSync(outDir, { recursive: true });
  for (const [file, text] of Object.entries(generateAll())) {
    writeFileSync(join(outDir, file), text);
    console.log(`wrote ${join(outDir, file)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
