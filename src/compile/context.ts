// What the compiler reads: the NB snapshot, the SB rows northd takes as input
// (Chassis, and the Datapath_Binding/Port_Binding rows whose tunnel keys it
// keeps), plus derived global facts. Pure data; no I/O.
import type { NbNBGlobal, NbTableName, NbTables } from '../model/nb.js';
import type { SbTableName, SbTables } from '../model/sb.js';
import { smapGetBool } from '../model/smap.js';

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

export function makeContext(input: CompileInput): CompileContext {
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
  };
}
