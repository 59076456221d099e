// The reverse of the units' dependency records: which units read a given NB
// row, scanned a given table or read a given derived value.  A run turns the
// NB rows that changed since the previous run into dependency keys and checks
// only the units those keys reach, instead of every unit's every dependency.
//
// Keys: "t:<table>" (a scan), "r:<table>/<uuid>" (a row), "v:<name>" (a
// derived value such as "pg-uuids-of/<lsp uuid>" or "port/<name>").  The unit
// facts (UNIT_FACTS: "global", "switch", …) are compared by the families themselves.
import { pgAclSummary, type NbView } from './context.js';
import type { DepRecorder } from './deps.js';
import { ShardedMap } from '../replica/sharded-map.js';
import { UNIT_FACTS } from './units/family.js';

type AnyRow = { readonly _uuid: string } & Record<string, unknown>;

export class UnitsByDep {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly keysOf = new Map<string, readonly string[]>();

  /** Records (or, with undefined, forgets) the dependencies of `unit`. */
  set(unit: string, deps: DepRecorder | undefined): void {
    const old = this.keysOf.get(unit);
    const keys: string[] = [];
    if (deps) {
      for (const t of deps.tables.keys()) keys.push(`t:${t}`);
      for (const [t, rows] of deps.rows) for (const u of rows.keys()) keys.push(`r:${t}/${u}`);
      for (const n of deps.derived.keys()) if (!UNIT_FACTS.has(n)) keys.push(`v:${n}`);
      // A rebuilt unit usually read the same things: nothing to re-register then.
      if (old && old.length === keys.length && old.every((k, i) => k === keys[i])) return;
    }
    for (const k of old ?? []) {
      const s = this.byKey.get(k);
      if (s && s.delete(unit) && !s.size) this.byKey.delete(k);
    }
    if (!deps) {
      this.keysOf.delete(unit);
      return;
    }
    for (const k of keys) {
      let s = this.byKey.get(k);
      if (!s) this.byKey.set(k, (s = new Set()));
      s.add(unit);
    }
    this.keysOf.set(unit, keys);
  }

  /** The units that depend on any of `keys`. */
  reached(keys: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const k of keys) for (const u of this.byKey.get(k) ?? []) out.add(u);
    return out;
  }
}

const rowsOf = (nb: NbView, table: string): ReadonlyMap<string, AnyRow> => (nb as unknown as Record<string, ReadonlyMap<string, AnyRow>>)[table]!;

function hasVip(lb: AnyRow | undefined): boolean {
  if (!lb) return false;
  for (const _ in lb['vips'] as Record<string, string>) return true;
  return false;
}

/** The derived value "some load balancer of this group has a VIP" (context.ts 'lbg-has-vip'). */
function groupHasVip(nb: NbView, uuid: string): boolean {
  const g = rowsOf(nb, 'Load_Balancer_Group').get(uuid);
  return g !== undefined && (g['load_balancer'] as readonly string[]).some((u) => hasVip(rowsOf(nb, 'Load_Balancer').get(u)));
}

/**
 * The dependency keys the NB changes between `prev` and `nb` can reach: the
 * changed rows and tables, and the derived values computed from them.
 */
export function changedDepKeys(prev: NbView, nb: NbView): Set<string> {
  const out = new Set<string>();
  const nameOf = (table: string, uuid: string): void => {
    for (const v of [prev, nb]) {
      const r = rowsOf(v, table).get(uuid);
      if (r) out.add(`v:port/${r['name'] as string}`);
      if (r && table === 'Logical_Router_Port') out.add(`v:lrp-info/${r['name'] as string}`);
    }
  };
  /** A port group's ACL summary is a dependency only when its value changed (an ACL added next to others does not). */
  const summaryChanged = (pg: string): void => {
    const key = `v:pg-acl-summary/${pg}`;
    if (out.has(key)) return;
    const was = pgAclSummary(prev.Port_Group.get(pg), prev.ACL);
    if (was !== pgAclSummary(nb.Port_Group.get(pg), nb.ACL)) out.add(key);
  };
  for (const table of Object.keys(nb)) {
    const before = rowsOf(prev, table);
    const after = rowsOf(nb, table);
    if (before === after) continue;
    out.add(`t:${table}`);
    ShardedMap.diff(before, after, (uuid, b, a) => {
      out.add(`r:${table}/${uuid}`);
      const rows = [b, a].filter((r): r is AnyRow => r !== undefined);
      switch (table) {
        case 'Logical_Switch_Port':
        case 'Logical_Router_Port':
          nameOf(table, uuid);
          break;
        case 'Logical_Switch':
          for (const r of rows) for (const p of r['ports'] as readonly string[]) nameOf('Logical_Switch_Port', p);
          break;
        case 'Logical_Router': {
          // What "port/<name>" and "lrp-info/<name>" read of a router: which ports it has, and
          // for all of them its `enabled` and `options:chassis` — not its routes or policies.
          const opt = (r: AnyRow | undefined): unknown => (r?.['options'] as Record<string, string> | undefined)?.['chassis'];
          const whole = !b || !a || b['enabled'] !== a['enabled'] || opt(b) !== opt(a);
          const was = (b?.['ports'] as readonly string[] | undefined) ?? [];
          const now = (a?.['ports'] as readonly string[] | undefined) ?? [];
          if (whole) for (const p of [...was, ...now]) nameOf('Logical_Router_Port', p);
          else if (was !== now) {
            const nowSet = new Set(now);
            const wasSet = new Set(was);
            for (const p of was) if (!nowSet.has(p)) nameOf('Logical_Router_Port', p);
            for (const p of now) if (!wasSet.has(p)) nameOf('Logical_Router_Port', p);
          }
          break;
        }
        case 'Port_Group': {
          // Membership by UUID changes only for the ports that came or went.
          const was = new Set((b?.['ports'] as readonly string[] | undefined) ?? []);
          const now = new Set((a?.['ports'] as readonly string[] | undefined) ?? []);
          for (const p of was) if (!now.has(p)) out.add(`v:pg-uuids-of/${p}`);
          for (const p of now) if (!was.has(p)) out.add(`v:pg-uuids-of/${p}`);
          summaryChanged(uuid);
          break;
        }
        case 'ACL':
          for (const v of [prev, nb]) {
            for (const pg of rowsOf(v, 'Port_Group').values()) {
              if ((pg['acls'] as readonly string[]).includes(uuid)) summaryChanged(pg._uuid);
            }
          }
          break;
        case 'Load_Balancer':
          // Only when "has a VIP" flips (adding a VIP to a load balancer that has some changes no switch).
          if (hasVip(b) !== hasVip(a)) {
            out.add(`v:lb-has-vip/${uuid}`);
            for (const v of [prev, nb]) {
              for (const g of rowsOf(v, 'Load_Balancer_Group').values()) {
                if ((g['load_balancer'] as readonly string[]).includes(uuid) && groupHasVip(prev, g._uuid) !== groupHasVip(nb, g._uuid)) {
                  out.add(`v:lbg-has-vip/${g._uuid}`);
                }
              }
            }
          }
          break;
        case 'Load_Balancer_Group':
          if (groupHasVip(prev, uuid) !== groupHasVip(nb, uuid)) out.add(`v:lbg-has-vip/${uuid}`);
          break;
      }
    });
  }
  return out;
}
