// An index of the SB Logical_Flow rows by content (pipeline, table, stage
// name, priority, match, actions, meter), kept up to date from one SB snapshot to
// the next by comparing only what changed.  The incremental differ finds the
// SB rows of the flows a change touched here instead of scanning all of them.
import { ShardedMap } from '../replica/sharded-map.js';
import type { SbView } from '../compile/context.js';
import type { SbLogicalDPGroup, SbLogicalFlow } from '../model/sb.js';

/** flowKey() of an SB row: its stage by pipeline, table and external_ids:stage-name. */
export function flowContentKey(lf: Pick<SbLogicalFlow, 'pipeline' | 'table_id' | 'priority' | 'match' | 'actions' | 'controller_meter' | 'external_ids'>): string {
  return `${lf.pipeline}\u0000${lf.table_id}\u0000${lf.external_ids['stage-name'] ?? ''}\u0000${lf.priority}\u0000${lf.match}\u0000${lf.actions}\u0000${lf.controller_meter ?? ''}`;
}

export class SbFlowIndex {
  /**
   * `intern` maps a content key to the equal string the compiler's flow store holds, when
   * it has one: the store's keys then find their rows by identity.  (Two equal strings that
   * are different objects are compared character by character on every Map lookup: a
   * switch joining a load balancer group looks up 4,000 keys of a few hundred characters.)
   * It also leaves one copy of each key in memory instead of two.
   */
  constructor(private readonly intern: (key: string) => string = (k) => k) {}

  /** Content key → SB rows with that content (normally one). */
  private readonly byKey = new Map<string, SbLogicalFlow[]>();
  /** Logical_DP_Group UUID → the flows referencing it. */
  private readonly groupRefs = new Map<string, Set<SbLogicalFlow>>();
  private flows: ReadonlyMap<string, SbLogicalFlow> = new Map();
  private groupsTable: ReadonlyMap<string, SbLogicalDPGroup> | undefined;

  /** Brings the index to `sb`'s Logical_Flow contents. */
  update(sb: SbView): void {
    ShardedMap.diff(this.flows, sb.Logical_Flow, (_uuid, before, after) => {
      if (before) this.remove(before);
      if (after) this.add(after);
    });
    this.flows = sb.Logical_Flow;
    this.groupsTable = sb.Logical_DP_Group;
  }

  rows(key: string): readonly SbLogicalFlow[] {
    return this.byKey.get(key) ?? NONE;
  }

  /** How many flows reference this Logical_DP_Group. */
  groupUse(uuid: string): number {
    return this.groupRefs.get(uuid)?.size ?? 0;
  }

  /** The flows referencing this Logical_DP_Group. */
  groupFlows(uuid: string): ReadonlySet<SbLogicalFlow> {
    return this.groupRefs.get(uuid) ?? NO_FLOWS;
  }

  groups(): ReadonlyMap<string, SbLogicalDPGroup> {
    return this.groupsTable ?? new Map();
  }

  private add(lf: SbLogicalFlow): void {
    const k = this.intern(flowContentKey(lf));
    const l = this.byKey.get(k);
    if (l) l.push(lf);
    else this.byKey.set(k, [lf]);
    if (lf.logical_dp_group) {
      let s = this.groupRefs.get(lf.logical_dp_group);
      if (!s) this.groupRefs.set(lf.logical_dp_group, (s = new Set()));
      s.add(lf);
    }
  }

  private remove(lf: SbLogicalFlow): void {
    const k = flowContentKey(lf);
    const l = this.byKey.get(k);
    if (l) {
      const i = l.findIndex((r) => r._uuid === lf._uuid);
      if (i >= 0) l.splice(i, 1);
      if (!l.length) this.byKey.delete(k);
    }
    if (lf.logical_dp_group) {
      const s = this.groupRefs.get(lf.logical_dp_group);
      if (s) {
        // Rows are removed as the object the index holds (the previous snapshot's).
        s.delete(lf);
        if (!s.size) this.groupRefs.delete(lf.logical_dp_group);
      }
    }
  }
}

const NONE: readonly SbLogicalFlow[] = [];
const NO_FLOWS: ReadonlySet<SbLogicalFlow> = new Set();
