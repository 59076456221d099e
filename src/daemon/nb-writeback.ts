// What northd writes back into the NB, computed from NB + SB snapshots:
// NB_Global options/sb_cfg/hv_cfg, Logical_Switch_Port up and
// dynamic_addresses, BFD status. Pure; the daemon turns the result into one transaction.
import type { NbView, SbView } from '../compile/context.js';
import type { DesiredSb } from '../compile/desired.js';
import { datumEqual } from '../ovsdb/datum.js';
import { ShardedMap } from '../replica/sharded-map.js';
import type { NbLogicalSwitchPort } from '../model/nb.js';
import type { SbPortBinding } from '../model/sb.js';

/**
 * hv_cfg: the smallest nb_cfg any (local) chassis has caught up with, with
 * its timestamp (update_sequence_numbers in the reference).
 */
export function computeHvCfg(nbCfg: number, sb: SbView): { hvCfg: number; hvCfgTimestamp: number } {
  let hvCfg = nbCfg;
  let ts = 0;
  for (const cp of sb.Chassis_Private.values()) {
    const ch = cp.chassis !== undefined ? sb.Chassis.get(cp.chassis) : undefined;
    if (ch && ch.other_config['is-remote'] === 'true') continue;
    const delta = cp.nb_cfg - hvCfg;
    if (cp.nb_cfg < hvCfg || delta > 0x7fffffff) {
      hvCfg = cp.nb_cfg;
      ts = cp.nb_cfg_timestamp;
    } else if (cp.nb_cfg === hvCfg && cp.nb_cfg_timestamp > ts) {
      ts = cp.nb_cfg_timestamp;
    }
  }
  return { hvCfg, hvCfgTimestamp: ts };
}

/**
 * A port's up as the reference derives it from its binding
 * (handle_port_binding_changes): router ports are up; others once a chassis
 * claims the binding (and, with port-up-notif, once it says so).
 */
export function bindingUp(lsp: Pick<NbLogicalSwitchPort, 'type'>, pb: Pick<SbPortBinding, 'chassis' | 'up'>, sb: SbView): boolean {
  if (lsp.type === 'router') return true;
  if (pb.chassis === undefined) return false;
  const ch = sb.Chassis.get(pb.chassis);
  return ch && ch.other_config['port-up-notif'] === 'true' ? pb.up === true : true;
}

/** LSP UUID → up, for every LSP with a binding. */
export function lspUp(nb: NbView, sb: SbView): Map<string, boolean> {
  const byName = new Map<string, NbLogicalSwitchPort>();
  for (const lsp of nb.Logical_Switch_Port.values()) byName.set(lsp.name, lsp);
  const out = new Map<string, boolean>();
  for (const pb of sb.Port_Binding.values()) {
    const lsp = byName.get(pb.logical_port);
    if (lsp) out.set(lsp._uuid, bindingUp(lsp, pb, sb));
  }
  return out;
}

/**
 * The NB as northd sees it within one run: the reference sets
 * Logical_Switch_Port.up in its IDL transaction before it builds flows, so
 * the flows of that same run already see the new values.
 */
export function nbWithLspUp(nb: NbView, sb: SbView, mismatches?: ReadonlyMap<string, boolean>): NbView {
  const table = nb.Logical_Switch_Port;
  // A replica table is edited as one (its unchanged buckets stay shared); a plain map is copied.
  const editor = table instanceof ShardedMap ? (table as ShardedMap<NbLogicalSwitchPort>).edit() : undefined;
  let copy: Map<string, NbLogicalSwitchPort> | undefined;
  let n = 0;
  for (const [uuid, up] of mismatches ?? lspUp(nb, sb)) {
    const lsp = table.get(uuid);
    if (!lsp || lsp.up === up) continue;
    n++;
    const row = patchedRow(lsp, up);
    if (editor) editor.set(uuid, row);
    else (copy ??= new Map(table)).set(uuid, row);
  }
  if (!n) return nb;
  return { ...nb, Logical_Switch_Port: editor ? editor.finish() : copy! };
}

/** One patched object per (row, up): the compiler's memos see the same object run after run. */
const patchedRows = new WeakMap<NbLogicalSwitchPort, NbLogicalSwitchPort>();
function patchedRow(lsp: NbLogicalSwitchPort, up: boolean): NbLogicalSwitchPort {
  let r = patchedRows.get(lsp);
  if (!r || r.up !== up) patchedRows.set(lsp, (r = Object.freeze({ ...lsp, up })));
  return r;
}

/** The NB_Global columns to update (undefined: none): options, sb_cfg and hv_cfg. */
export function computeNbGlobalWriteback(
  nb: NbView,
  sb: SbView,
  desired: Pick<DesiredSb, 'nbGlobalOptions'>,
  cfg: { sbCfg: number | undefined; now: number },
): Record<string, unknown> | undefined {
  const g = nb.NB_Global.values().next().value;
  if (!g) return undefined;
  const nbGlobal: Record<string, unknown> = {};
  if (!datumEqual(g.options, desired.nbGlobalOptions)) nbGlobal['options'] = desired.nbGlobalOptions;
  if (cfg.sbCfg && g.sb_cfg !== cfg.sbCfg) {
    nbGlobal['sb_cfg'] = cfg.sbCfg;
    nbGlobal['sb_cfg_timestamp'] = cfg.now;
  }
  const { hvCfg, hvCfgTimestamp } = computeHvCfg(g.nb_cfg, sb);
  if (g.hv_cfg !== hvCfg) {
    nbGlobal['hv_cfg'] = hvCfg;
    nbGlobal['hv_cfg_timestamp'] = hvCfgTimestamp;
  }
  return Object.keys(nbGlobal).length ? nbGlobal : undefined;
}

/** LSP UUID → the columns to update: up from the bindings, dynamic_addresses from the compile. */
export function computeLspWriteback(
  nb: NbView,
  sb: SbView,
  desired: Pick<DesiredSb, 'lspDynamicAddresses'>,
  /** LSP UUID → up, for the LSPs whose row differs (LspUpTracker); derived in full when absent. */
  mismatches?: ReadonlyMap<string, boolean>,
): Map<string, Record<string, unknown>> {
  const lsps = new Map<string, Record<string, unknown>>();
  for (const [uuid, up] of mismatches ?? lspUp(nb, sb)) {
    const lsp = nb.Logical_Switch_Port.get(uuid);
    if (lsp && lsp.up !== up) lsps.set(uuid, { up });
  }
  const lspByName = new Map<string, string>();
  if (desired.lspDynamicAddresses.size) for (const lsp of nb.Logical_Switch_Port.values()) lspByName.set(lsp.name, lsp._uuid);
  for (const [name, dyn] of desired.lspDynamicAddresses) {
    const uuid = lspByName.get(name);
    const lsp = uuid !== undefined ? nb.Logical_Switch_Port.get(uuid) : undefined;
    if (!lsp || lsp.dynamic_addresses === dyn) continue;
    lsps.set(lsp._uuid, { ...lsps.get(lsp._uuid), dynamic_addresses: dyn });
  }
  return lsps;
}

/** BFD UUID → the status the compile leaves the session with, where the NB row holds another. */
export function computeBfdWriteback(nb: Pick<NbView, 'BFD'>, desired: Pick<DesiredSb, 'nbBfdStatus'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uuid, status] of desired.nbBfdStatus) {
    const row = nb.BFD.get(uuid);
    if (row && row.status !== status) out.set(uuid, status);
  }
  return out;
}
