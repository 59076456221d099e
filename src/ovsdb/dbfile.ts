// Reader of OVSDB standalone database files (ovsdb(5)), the format written by
// `ovsdb-tool create`, by a standalone ovsdb-server, and by
// `ovsdb-client backup`.
//
// A file is a sequence of records, each a header line
//     OVSDB JSON <length> <sha1-hex>\n
// followed by exactly <length> bytes: a JSON object and a '\n' (the SHA-1 is
// over those bytes).  The first record is the schema; every following record
// is a transaction:
//     { "<table>": { "<uuid>": <row> | null, ... }, ...,
//       "_date": <ms>, "_comment": "...", "_is_diff": true }
// A null row deletes the row; a row object holds only the columns it sets.
// When "_is_diff" is true (what OVS ≥ 2.15 writes), a value for a column
// whose type allows more than one element (a set with max > 1, or a map) is a
// *difference* to apply to the current value, with OVSDB's rules: a set
// element present in both is removed, otherwise added; a map key absent is
// added, present with an equal value is removed, present with another value
// is updated.  Other columns, and all columns without "_is_diff", are replaced.
//
// Datums are kept in OVSDB wire JSON form (atoms, ["uuid", ...],
// ["set", [...]], ["map", [[k, v], ...]]) — decoding is the codec's job.  Rows
// are returned complete: columns never written hold the type's default
// (0, 0.0, false, "", the all-zero uuid, empty set, empty map), so a row looks
// like one read from ovsdb-server.
//
// Clustered database files ("OVSDB CLUSTER" records, raft log) are not
// supported: convert them first with `ovsdb-client backup` or
// `ovsdb-tool cluster-to-standalone`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export type WireJson = null | boolean | number | string | WireJson[] | { [k: string]: WireJson };

/** A row: column name → datum in wire JSON form. */
export type WireRow = Record<string, WireJson>;

export interface DbFile {
  /** The schema record, as parsed JSON. */
  readonly schema: { readonly name: string; readonly tables: Record<string, unknown>; readonly [k: string]: unknown };
  /** Every table of the schema (even empty ones): row uuid → row. */
  readonly tables: Record<string, Map<string, WireRow>>;
  /** Number of transaction records applied (the schema not counted). */
  readonly transactions: number;
  /**
   * Set when reading stopped before the end of the file at a record that was
   * incomplete or corrupt (as after a crash mid-write; ovsdb-server likewise
   * ignores such a tail).  Records before it were applied.
   */
  readonly truncated?: { readonly offset: number; readonly reason: string };
}

export class DbFileError extends Error {
  override name = 'DbFileError';
}

export interface RawRecord {
  /** "JSON" for standalone files, "CLUSTER" for clustered ones. */
  readonly magic: string;
  /** Byte offset of the header line. */
  readonly offset: number;
  readonly json: WireJson;
}

export interface ReadOptions {
  /** Check each record's SHA-1 (default true). */
  readonly verifySha1?: boolean;
  /** Fill columns never written with their default datum (default true). */
  readonly fillDefaults?: boolean;
}

const NL = 0x0a;

/**
 * Splits a file into records.  Yields complete, valid records; on the first
 * bad one, yields nothing more and reports it through `onTruncated`.
 */
export function* readRecords(
  buf: Uint8Array,
  verifySha1 = true,
  onTruncated?: (offset: number, reason: string) => void,
): Generator<RawRecord> {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  while (off < b.length) {
    const nl = b.indexOf(NL, off);
    if (nl < 0) {
      onTruncated?.(off, 'incomplete header line');
      return;
    }
    const header = b.toString('latin1', off, nl);
    const m = /^OVSDB (\S+) (\d+) ([0-9a-fA-F]{40})$/.exec(header);
    if (!m) {
      onTruncated?.(off, `parse error in header line "${header.slice(0, 80)}"`);
      return;
    }
    const magic = m[1]!;
    const len = Number(m[2]);
    const start = nl + 1;
    if (start + len > b.length) {
      onTruncated?.(off, `record of ${len} bytes extends past end of file`);
      return;
    }
    const body = b.subarray(start, start + len);
    if (verifySha1) {
      const sha = createHash('sha1').update(body).digest('hex');
      if (sha !== m[3]!.toLowerCase()) {
        onTruncated?.(off, `SHA-1 mismatch (have ${sha}, header says ${m[3]})`);
        return;
      }
    }
    let json: WireJson;
    try {
      json = JSON.parse(body.toString('utf8')) as WireJson;
    } catch (e) {
      onTruncated?.(off, `invalid JSON: ${(e as Error).message}`);
      return;
    }
    yield { magic, offset: off, json };
    off = start + len;
  }
}

interface ColInfo {
  readonly composite: boolean;
  readonly isMap: boolean;
  readonly def: WireJson;
}

const ZERO_UUID: WireJson = ['uuid', '00000000-0000-0000-0000-000000000000'];

function atomicType(base: unknown): string {
  if (typeof base === 'string') return base;
  if (base && typeof base === 'object' && typeof (base as { type?: unknown }).type === 'string') {
    return (base as { type: string }).type;
  }
  throw new DbFileError(`bad base type ${JSON.stringify(base)}`);
}

function columnInfo(type: unknown): ColInfo {
  if (typeof type === 'string') return { composite: false, isMap: false, def: defaultAtom(type) };
  if (!type || typeof type !== 'object') throw new DbFileError(`bad column type ${JSON.stringify(type)}`);
  const t = type as { key: unknown; value?: unknown; min?: unknown; max?: unknown };
  const min = t.min === undefined ? 1 : Number(t.min);
  const max = t.max === undefined ? 1 : t.max === 'unlimited' ? Infinity : Number(t.max);
  const isMap = t.value !== undefined;
  if (isMap) return { composite: max > 1, isMap, def: ['map', []] };
  if (min === 1 && max === 1) return { composite: false, isMap, def: defaultAtom(atomicType(t.key)) };
  return { composite: max > 1, isMap, def: ['set', []] };
}

function defaultAtom(type: string): WireJson {
  switch (type) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    default:
      throw new DbFileError(`unknown atomic type ${type}`);
  }
}

function setElements(d: WireJson): WireJson[] {
  if (Array.isArray(d) && d[0] === 'set' && Array.isArray(d[1])) return d[1];
  return [d];
}

function mapPairs(d: WireJson): [WireJson, WireJson][] {
  if (Array.isArray(d) && d[0] === 'map' && Array.isArray(d[1])) return d[1] as [WireJson, WireJson][];
  throw new DbFileError(`expected a map datum, got ${JSON.stringify(d)}`);
}

const key = (a: WireJson): string => JSON.stringify(a);

/** OVSDB's set/map diff application (ovsdb_datum_apply_diff_in_place). */
function applyDiff(cur: WireJson, diff: WireJson, isMap: boolean): WireJson {
  if (isMap) {
    const m = new Map<string, [WireJson, WireJson]>(mapPairs(cur).map((p) => [key(p[0]), p]));
    for (const [k, v] of mapPairs(diff)) {
      const kk = key(k);
      const old = m.get(kk);
      if (!old) m.set(kk, [k, v]);
      else if (key(old[1]) !== key(v)) m.set(kk, [k, v]);
      else m.delete(kk);
    }
    return ['map', [...m.values()]];
  }
  const s = new Map<string, WireJson>(setElements(cur).map((a) => [key(a), a]));
  for (const a of setElements(diff)) {
    const kk = key(a);
    if (s.has(kk)) s.delete(kk);
    else s.set(kk, a);
  }
  const elems = [...s.values()];
  return elems.length === 1 ? elems[0]! : ['set', elems];
}

function isDefault(d: WireJson, info: ColInfo): boolean {
  if (info.isMap) return Array.isArray(d) && d[0] === 'map' && Array.isArray(d[1]) && d[1].length === 0;
  return key(d) === key(info.def) || (info.composite && Array.isArray(d) && d[0] === 'set' && Array.isArray(d[1]) && d[1].length === 0);
}

/** Parses a whole standalone database file and replays its transactions. */
export function parseDbFile(buf: Uint8Array | string, opts: ReadOptions = {}): DbFile {
  const bytes = typeof buf === 'string' ? Buffer.from(buf, 'utf8') : buf;
  const fillDefaults = opts.fillDefaults ?? true;
  let truncated: { offset: number; reason: string } | undefined;
  const it = readRecords(bytes, opts.verifySha1 ?? true, (offset, reason) => {
    truncated = { offset, reason };
  });

  const first = it.next();
  if (first.done) {
    throw new DbFileError(truncated ? `not an OVSDB file: ${truncated.reason}` : 'empty database file');
  }
  const rec0 = first.value;
  if (rec0.magic === 'CLUSTER') {
    throw new DbFileError(
      'clustered OVSDB database files are not supported; convert with `ovsdb-tool cluster-to-standalone` or `ovsdb-client backup`',
    );
  }
  if (rec0.magic !== 'JSON') throw new DbFileError(`unknown OVSDB file magic "${rec0.magic}"`);
  const schema = rec0.json as DbFile['schema'];
  if (!schema || typeof schema !== 'object' || typeof schema.name !== 'string' || typeof schema.tables !== 'object') {
    throw new DbFileError('first record is not a database schema');
  }

  const cols: Record<string, Map<string, ColInfo>> = {};
  const tables: Record<string, Map<string, WireRow>> = {};
  for (const [tname, tjson] of Object.entries(schema.tables)) {
    const c = new Map<string, ColInfo>();
    const columns = ((tjson as { columns?: Record<string, { type: unknown }> }).columns ?? {}) as Record<
      string,
      { type: unknown }
    >;
    for (const [cname, cjson] of Object.entries(columns)) c.set(cname, columnInfo(cjson.type));
    cols[tname] = c;
    tables[tname] = new Map();
  }

  let transactions = 0;
  for (const rec of it) {
    if (rec.magic !== 'JSON') throw new DbFileError(`record at offset ${rec.offset} has magic "${rec.magic}"`);
    const txn = rec.json;
    if (!txn || typeof txn !== 'object' || Array.isArray(txn)) {
      throw new DbFileError(`record at offset ${rec.offset} is not a JSON object`);
    }
    const isDiff = txn['_is_diff'] === true;
    for (const [tname, tval] of Object.entries(txn)) {
      const table = tables[tname];
      const tcols = cols[tname];
      if (!table || !tcols) {
        if (tname.startsWith('_')) continue; // _date, _comment, _is_diff
        throw new DbFileError(`record at offset ${rec.offset}: no table named ${tname}`);
      }
      if (!tval || typeof tval !== 'object' || Array.isArray(tval)) {
        throw new DbFileError(`record at offset ${rec.offset}: table ${tname} is not an object`);
      }
      for (const [uuid, rowJson] of Object.entries(tval)) {
        if (rowJson === null) {
          table.delete(uuid);
          continue;
        }
        if (typeof rowJson !== 'object' || Array.isArray(rowJson)) {
          throw new DbFileError(`record at offset ${rec.offset}: row ${tname} ${uuid} is not an object`);
        }
        let row = table.get(uuid);
        if (!row) {
          row = {};
          table.set(uuid, row);
        }
        for (const [cname, datum] of Object.entries(rowJson)) {
          const info = tcols.get(cname);
          if (!info) throw new DbFileError(`record at offset ${rec.offset}: no column ${cname} in table ${tname}`);
          const cur = row[cname];
          if (isDiff && info.composite && cur !== undefined && !isDefault(cur, info)) {
            row[cname] = applyDiff(cur, datum, info.isMap);
          } else {
            row[cname] = datum;
          }
        }
      }
    }
    transactions++;
  }

  if (fillDefaults) {
    for (const [tname, table] of Object.entries(tables)) {
      for (const row of table.values()) {
        for (const [cname, info] of cols[tname]!) {
          if (!(cname in row)) row[cname] = structuredClone(info.def);
        }
      }
    }
  }

  return truncated ? { schema, tables, transactions, truncated } : { schema, tables, transactions };
}

export function readDbFileSync(path: string, opts?: ReadOptions): DbFile {
  return parseDbFile(readFileSync(path), opts);
}

export async function readDbFile(path: string, opts?: ReadOptions): Promise<DbFile> {
  return parseDbFile(await readFile(path), opts);
}
