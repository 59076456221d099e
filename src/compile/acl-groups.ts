// Which switches each ACL applies to.  An ACL's flows depend only on its row
// and on two facts of the switch (stateful or not, the CoPP meter of reject),
// so the incremental compiler builds them once per (ACL, kind of switch,
// place in the switch's ACL list) and puts them on all those switches, as it
// does for load balancers.  Adding an ACL to a port group then builds that
// ACL's few flows once, instead of every switch of the group again.
import type { NbACL } from '../model/nb.js';

/** One ACL as a switch sees it. */
export interface PlacedAcl {
  /** The ACL unit it belongs to: "acl/<uuid>/<kind>/<origin>". */
  readonly key: string;
  readonly acl: NbACL;
  /** Its place in the switch's ACL list (AclPlacement.origin): the tie-break between identical flows. */
  readonly origin: string;
  readonly hasStateful: boolean;
  readonly rejectMeter: string | undefined;
}

export interface AclGroup {
  readonly acl: NbACL;
  readonly origin: string;
  readonly hasStateful: boolean;
  readonly rejectMeter: string | undefined;
  /** Never modified once handed out (flow datapath sets are compared by identity first). */
  readonly switches: ReadonlySet<string>;
}

export function placedAcl(acl: NbACL, origin: string, hasStateful: boolean, rejectMeter: string | undefined): PlacedAcl {
  // The reject meter only matters to reject ACLs: other ACLs stay in one unit.
  const meter = acl.action === 'reject' ? rejectMeter : undefined;
  const kind = (hasStateful ? 's' : 'n') + (meter === undefined ? '' : `/${meter}`);
  return { key: `acl/${acl._uuid}/${kind}/${origin}`, acl, origin, hasStateful, rejectMeter: meter };
}

export class AclGroups {
  private readonly groups = new Map<string, AclGroup>();
  /** Groups changed since takeChanges(), with a private copy of their switch set. */
  private readonly pending = new Map<string, { group: AclGroup; switches: Set<string> }>();

  get(key: string): AclGroup | undefined {
    return this.groups.get(key);
  }

  keys(): IterableIterator<string> {
    return this.groups.keys();
  }

  get size(): number {
    return this.groups.size;
  }

  /** Switch `sw`'s ACLs were `before` and are now `after`. */
  move(sw: string, before: readonly PlacedAcl[], after: readonly PlacedAcl[]): void {
    const next = new Map(after.map((p) => [p.key, p]));
    for (const p of before) {
      const n = next.get(p.key);
      if (n && n.acl === p.acl) next.delete(p.key);
      else if (!n) this.edit(p, false).switches.delete(sw);
    }
    for (const p of next.values()) this.edit(p, true).switches.add(sw);
  }

  /** The groups changed since the last call: the new group, or undefined when no switch is left. */
  takeChanges(): Map<string, AclGroup | undefined> {
    const out = new Map<string, AclGroup | undefined>();
    for (const [key, { group, switches }] of this.pending) {
      if (switches.size === 0) {
        this.groups.delete(key);
        out.set(key, undefined);
      } else {
        const g = { ...group, switches };
        this.groups.set(key, g);
        out.set(key, g);
      }
    }
    this.pending.clear();
    return out;
  }

  private edit(p: PlacedAcl, adding: boolean): { group: AclGroup; switches: Set<string> } {
    let e = this.pending.get(p.key);
    if (!e) {
      const old = this.groups.get(p.key);
      e = { group: old ?? { acl: p.acl, origin: p.origin, hasStateful: p.hasStateful, rejectMeter: p.rejectMeter, switches: new Set() }, switches: new Set(old?.switches) };
      this.pending.set(p.key, e);
    }
    // Every switch that adds it reads the same snapshot: the newest row is the one to build from.
    if (adding && e.group.acl !== p.acl) e.group = { ...e.group, acl: p.acl };
    return e;
  }
}
