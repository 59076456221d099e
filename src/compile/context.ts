// What the compiler reads: the NB snapshot, the SB rows northd takes as input
// (Chassis, and the Datapath_Binding/Port_Binding rows whose tunnel keys it
// keeps), plus derived global facts. Pure data; no I/O.
import type { NbACL, NbNBGlobal, NbPortGroup, NbTableName, NbTables } from '../model/nb.js';
import { extractLrpNetworks } from '../model/lsp-addresses.js';
import type { SbTableName, SbTables } from '../model/sb.js';
import { smapGetBool } from '../model/smap.js';
import { CompileMemo } from './memo.js';
import { ShardedMap } from '../replica/sharded-map.js';

export type NbView = { readonly [T in NbTableName]: ReadonlyMap<string, NbTables[T]> };
export type SbView = { readonly [T in SbTableName]: ReadonlyMap<string, SbTables[T]> };

export interface CompileInput {
  readonly nb: NbView;
  /** SB contents as currently known (empty maps for a fresh SB). */
  readonly sb: SbView;
}

/** Chassis feature flags that change flows (northd.c build_chassis_features). */
export interface ChassisFeatures {
  readonly ctNoMaskedLabel: boolean;
  readonly macBindingTimestamp: boolean;
  readonly ctLbRelated: boolean;
}

/** A warning about bad input, keyed so the daemon can rate-limit it. */
export interface Diagnostic {
  readonly level: 'warn' | 'info';
  readonly key: string;
  readonly message: string;
}

export interface CompileContext {
  readonly nb: NbView;
  readonly sb: SbView;
  readonly nbGlobal: NbNBGlobal | undefined;
  /** NB_Global options (empty when NB_Global is missing). */
  readonly options: Readonly<Record<string, string>>;
  readonly features: ChassisFeatures;
  /** The action used for every drop (debug_drop_action in the reference). */
  readonly dropAction: string;
  readonly diagnostics: Diagnostic[];
  warn(key: string, message: string): void;
  /** Indexes over the NB (built on first use); a unit's reads of them are dependencies. */
  lookup<K extends LookupKind>(kind: K, key: string): LookupResult[K];
  /** Objects reused from the previous runs of the same Compiler. */
  readonly memo: CompileMemo;
}

/** Derived lookups the flow builders use instead of scanning whole tables. */
export interface LookupResult {
  /** UUIDs of the port groups containing the LSP with this UUID, sorted (changes only with membership). */
  'pg-uuids-of': readonly string[];
  /** Of the port group with this UUID: "<has ACLs><has allow-related ACLs>" as "00", "10" or "11". */
  'pg-acl-summary': string;
  /** A router port (by name) of an enabled router with a valid MAC: 'dgw' if a distributed gateway port, else 'lrp'. */
  'lrp-info': 'dgw' | 'lrp' | undefined;
  /** The load balancer with this UUID exists and has a VIP. */
  'lb-has-vip': boolean;
  /** Some load balancer of the Load_Balancer_Group with this UUID has a VIP. */
  'lbg-has-vip': boolean;
}
export type LookupKind = keyof LookupResult;

const NO_UUIDS: readonly string[] = [];

/** The "pg-acl-summary" of a port group (see LookupResult). */
export function pgAclSummary(pg: NbPortGroup | undefined, acls: ReadonlyMap<string, NbACL>): string {
  let has = false;
  for (const u of pg?.acls ?? []) {
    const acl = acls.get(u);
    if (!acl) continue;
    if (acl.action === 'allow-related') return '11';
    has = true;
  }
  return has ? '10' : '00';
}

/** Port-group UUIDs by member port, per Port_Group table version (shared by the runs that see it). */
const pgIndexMemo = new WeakMap<object, Map<string, readonly string[]>>();
/**
 * The index last built: a port whose groups did not change keeps its array,
 * so the units that read it compare one pointer.  (Equal contents either
 * way: sharing it between compilers changes no result.)
 */
let lastPgIndex: Map<string, readonly string[]> = new Map();
let lastPgTable: ReadonlyMap<string, NbPortGroup> | undefined;

function pgIndex(pgTable: ReadonlyMap<string, NbPortGroup>): Map<string, readonly string[]> {
  let index = pgIndexMemo.get(pgTable);
  if (index) return index;
  // The index reads only the groups' UUIDs and ports: a new version of the table in which
  // no group was added or removed and none changed its ports (an ACL added to a group)
  // has the same index.  (Unchanged columns keep their array in a new row version.)
  if (lastPgTable) {
    let same = true;
    ShardedMap.diff(lastPgTable, pgTable, (_u, before, after) => {
      if (!before || !after || before.ports !== after.ports) same = false;
    });
    if (same) {
      pgIndexMemo.set(pgTable, lastPgIndex);
      lastPgTable = pgTable;
      return lastPgIndex;
    }
  }
  const lists = new Map<string, string[]>();
  for (const u of [...pgTable.keys()].sort()) {
    for (const p of new Set(pgTable.get(u)!.ports)) {
      const l = lists.get(p);
      if (l) l.push(u);
      else lists.set(p, [u]);
    }
  }
  index = new Map();
  for (const [p, l] of lists) {
    const old = lastPgIndex.get(p);
    index.set(p, old && old.length === l.length && old.every((u, i) => u === l[i]) ? old : l);
  }
  pgIndexMemo.set(pgTable, index);
  lastPgIndex = index;
  lastPgTable = pgTable;
  return index;
}

function buildLookups(nb: NbView): <K extends LookupKind>(kind: K, key: string) => LookupResult[K] {
  let lrpInfo: Map<string, 'dgw' | 'lrp'> | undefined;
  const lbHasVip = (uuid: string): boolean => {
    const lb = nb.Load_Balancer.get(uuid);
    if (!lb) return false;
    for (const _ in lb.vips) return true;
    return false;
  };
  const lbgHasVip = new Map<string, boolean>();
  return (<K extends LookupKind>(kind: K, key: string): LookupResult[K] => {
    if (kind === 'lb-has-vip') return lbHasVip(key) as LookupResult[K];
    if (kind === 'lbg-has-vip') {
      let v = lbgHasVip.get(key);
      if (v === undefined) lbgHasVip.set(key, (v = (nb.Load_Balancer_Group.get(key)?.load_balancer ?? []).some(lbHasVip)));
      return v as LookupResult[K];
    }
    if (kind === 'pg-acl-summary') return pgAclSummary(nb.Port_Group.get(key), nb.ACL) as LookupResult[K];
    if (kind === 'pg-uuids-of') return (pgIndex(nb.Port_Group).get(key) ?? NO_UUIDS) as LookupResult[K];
    lrpInfo ??= lrpInfoIndex(nb);
    return lrpInfo.get(key) as LookupResult[K];
  });
}


/** The "lrp-info" index, per version of the router and router port tables (shared by the runs that see them). */
const lrpInfoMemo = new WeakMap<object, { lrps: object; index: Map<string, 'dgw' | 'lrp'> }>();
const lrpMacOk = new WeakMap<object, boolean>();

function lrpInfoIndex(nb: NbView): Map<string, 'dgw' | 'lrp'> {
  const m = lrpInfoMemo.get(nb.Logical_Router);
  if (m && m.lrps === nb.Logical_Router_Port) return m.index;
  const index = new Map<string, 'dgw' | 'lrp'>();
  for (const lr of nb.Logical_Router.values()) {
    if (lr.enabled === false) continue;
    for (const uuid of lr.ports) {
      const lrp = nb.Logical_Router_Port.get(uuid);
      if (!lrp || index.has(lrp.name)) continue;
      let ok = lrpMacOk.get(lrp);
      if (ok === undefined) lrpMacOk.set(lrp, (ok = extractLrpNetworks(lrp.mac, lrp.networks).ok));
      if (!ok) continue;
      const dgw = (lrp.ha_chassis_group !== undefined || lrp.gateway_chassis.length > 0) && lr.options['chassis'] === undefined;
      index.set(lrp.name, dgw ? 'dgw' : 'lrp');
    }
  }
  lrpInfoMemo.set(nb.Logical_Router, { lrps: nb.Logical_Router_Port, index });
  return index;
}

export function chassisFeatures(sb: SbView): ChassisFeatures {
  let ctNoMaskedLabel = true;
  let macBindingTimestamp = true;
  let ctLbRelated = true;
  for (const ch of sb.Chassis.values()) {
    if (smapGetBool(ch.other_config, 'is-remote', false)) continue;
    if (!smapGetBool(ch.other_config, 'ct-no-masked-label', false)) ctNoMaskedLabel = false;
    if (!smapGetBool(ch.other_config, 'mac-binding-timestamp', false)) macBindingTimestamp = false;
    if (!smapGetBool(ch.other_config, 'ovn-ct-lb-related', false)) ctLbRelated = false;
  }
  return { ctNoMaskedLabel, macBindingTimestamp, ctLbRelated };
}

/** debug_drop_action(): a plain drop unless NB_Global options ask for sampling. */
export function dropActionFor(options: Readonly<Record<string, string>>): string {
  const collector = uintOpt(options['debug_drop_collector_set']);
  const domain = uintOpt(options['debug_drop_domain_id']);
  // The reference refuses (and keeps its previous setting for) a domain id >= 255.
  if (collector === 0 || domain >= 255) return 'drop;';
  return `sample(probability=65535,collector_set=${collector},obs_domain=${domain},obs_point=$cookie); /* drop */`;
}

/** smap_get_uint: a decimal unsigned number, 0 when absent or malformed. */
function uintOpt(v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n <= 0xffffffff ? n : 0;
}

/** A warning as kept by a memo, to be given again when the memoised result is reused. */
export type KeptWarning = readonly [key: string, message: string];

/** `ctx`, whose warnings are also collected into the returned list (for a memo to replay). */
export function recordingWarnings(ctx: CompileContext): { ctx: CompileContext; warnings: KeptWarning[] } {
  const warnings: KeptWarning[] = [];
  return { ctx: deriveContext(ctx, { warn: (key, message) => (warnings.push([key, message]), ctx.warn(key, message)) }), warnings };
}

/**
 * `ctx` with some members replaced, built member by member: a cold start derives a few
 * thousand contexts, and `{ ...ctx, warn }` was several times slower to build.
 */
export function deriveContext(ctx: CompileContext, o: { nb?: NbView; diagnostics?: Diagnostic[]; warn?: CompileContext['warn']; lookup?: CompileContext['lookup'] }): CompileContext {
  return {
    nb: o.nb ?? ctx.nb,
    sb: ctx.sb,
    nbGlobal: ctx.nbGlobal,
    options: ctx.options,
    features: ctx.features,
    dropAction: ctx.dropAction,
    diagnostics: o.diagnostics ?? ctx.diagnostics,
    warn: o.warn ?? ctx.warn,
    lookup: o.lookup ?? ctx.lookup,
    memo: ctx.memo,
  };
}

/** Gives the kept warnings again. */
export function replayWarnings(ctx: CompileContext, warnings: readonly KeptWarning[]): void {
  for (const [key, message] of warnings) ctx.warn(key, message);
}

/** A memoised value with the inputs it was computed from and the warnings it gave. */
export interface Memoised<V> {
  readonly inputs: readonly unknown[];
  readonly value: V;
  readonly warnings: readonly KeptWarning[];
}

/**
 * `build()`'s value for `key`, reused while `inputs` are the same values
 * (===) as when it was built; a reused value gives its warnings again.
 */
export function memoWithWarnings<K extends object, V>(
  ctx: CompileContext,
  memo: WeakMap<K, Memoised<V>>,
  key: K,
  inputs: readonly unknown[],
  build: (ctx: CompileContext) => V,
): V {
  const m = memo.get(key);
  if (m && m.inputs.length === inputs.length && m.inputs.every((x, i) => x === inputs[i])) {
    replayWarnings(ctx, m.warnings);
    return m.value;
  }
  const rec = recordingWarnings(ctx);
  const value = build(rec.ctx);
  memo.set(key, { inputs, value, warnings: rec.warnings });
  return value;
}

export function makeContext(input: CompileInput, memo: CompileMemo = new CompileMemo()): CompileContext {
  const nbGlobal = input.nb.NB_Global.values().next().value as NbNBGlobal | undefined;
  const options = nbGlobal?.options ?? {};
  const diagnostics: Diagnostic[] = [];
  return {
    nb: input.nb,
    sb: input.sb,
    nbGlobal,
    options,
    features: chassisFeatures(input.sb),
    dropAction: dropActionFor(options),
    diagnostics,
    warn(key, message) {
      diagnostics.push({ level: 'warn', key, message });
    },
    lookup: buildLookups(input.nb),
    memo,
  };
}
