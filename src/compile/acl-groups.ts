// Which switches each ACL applies to.  An ACL's flows depend only on its row
// and on two facts of the switch (stateful or not, the CoPP meter of reject),
// so the incremental compiler builds them once per (ACL, kind of switch,
// place in the ACL lists) and puts them on all those switches, as it does for
// load balancers.
//
// The switches of an ACL are kept per port group: a switch is in a group when
// one of its ports is; a group's ACLs apply to its switches.  Adding an ACL to
// a port group then touches that group's switches for that one ACL, and
// nothing is read again per switch.  (An ACL in two lists of the same switch
// gets two identical contributions; the flow store merges them.)
import type { NbACL } from '../model/nb.js';
import type { AclPlacement } from './switch/stateful-facts.js';

/** What a switch contributes to the ACL lists (from its unit ls/<uuid>/acls). */
export interface SwitchAcls {
  /** Its own ACLs (Logical_Switch.acls). */
  readonly own: readonly AclPlacement[];
  /** UUIDs of the port groups with a port on it, sorted. */
  readonly pgs: readonly string[];
  readonly hasStateful: boolean;
  readonly rejectMeter: string | undefined;
}

/** One ACL as a switch sees it. */
interface PlacedAcl {
  /** The ACL unit it belongs to: "acl/<uuid>/<kind>/<origin>". */
  readonly key: string;
  readonly acl: NbACL;
  /** Its place in the ACL lists (AclPlacement.origin): the tie-break between identical flows. */
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

function placedAcl(acl: NbACL, origin: string, hasStateful: boolean, rejectMeter: string | undefined): PlacedAcl {
  // The reject meter only matters to reject ACLs: other ACLs stay in one unit.
  const meter = acl.action === 'reject' ? rejectMeter : undefined;
  const kind = (hasStateful ? 's' : 'n') + (meter === undefined ? '' : `/${meter}`);
  return { key: `acl/${acl._uuid}/${kind}/${origin}`, acl, origin, hasStateful, rejectMeter: meter };
}

/** Same ACL row in the same place. */
export function samePlacements(a: readonly AclPlacement[], b: readonly AclPlacement[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.acl !== b[i]!.acl || a[i]!.origin !== b[i]!.origin) return false;
  return true;
}

const NONE: readonly AclPlacement[] = [];

export class AclGroups {
  private readonly groups = new Map<string, AclGroup>();
  /** Groups changed since takeChanges(), with a private copy of their switch set. */
  private readonly pending = new Map<string, { group: AclGroup; switches: Set<string> }>();
  private readonly switchAcls = new Map<string, SwitchAcls>();
  private readonly pgAcls = new Map<string, readonly AclPlacement[]>();
  private readonly switchesOfPg = new Map<string, Set<string>>();

  get(key: string): AclGroup | undefined {
    return this.groups.get(key);
  }

  /** The ACL placements of port group `pg` as last set. */
  pgPlacements(pg: string): readonly AclPlacement[] | undefined {
    return this.pgAcls.get(pg);
  }

  /** Port group `pg` now has these ACLs (undefined: the group is gone). */
  setPg(pg: string, acls: readonly AclPlacement[] | undefined): void {
    const before = this.pgAcls.get(pg) ?? NONE;
    for (const sw of this.switchesOfPg.get(pg) ?? []) {
      const info = this.switchAcls.get(sw)!;
      this.move(sw, place(before, info), place(acls ?? NONE, info));
    }
    if (acls) this.pgAcls.set(pg, acls);
    else this.pgAcls.delete(pg);
  }

  /** Switch `sw` now contributes `info` (undefined: the switch is gone). */
  setSwitch(sw: string, info: SwitchAcls | undefined): void {
    const before = this.switchAcls.get(sw);
    this.move(sw, before ? this.placedOf(before) : [], info ? this.placedOf(info) : []);
    for (const pg of before?.pgs ?? []) {
      const s = this.switchesOfPg.get(pg);
      if (s && s.delete(sw) && !s.size) this.switchesOfPg.delete(pg);
    }
    for (const pg of info?.pgs ?? []) {
      let s = this.switchesOfPg.get(pg);
      if (!s) this.switchesOfPg.set(pg, (s = new Set()));
      s.add(sw);
    }
    if (info) this.switchAcls.set(sw, info);
    else this.switchAcls.delete(sw);
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

  private placedOf(info: SwitchAcls): PlacedAcl[] {
    const out = place(info.own, info);
    for (const pg of info.pgs) out.push(...place(this.pgAcls.get(pg) ?? NONE, info));
    return out;
  }

  /** Switch `sw`'s placed ACLs were `before` and are now `after`. */
  private move(sw: string, before: readonly PlacedAcl[], after: readonly PlacedAcl[]): void {
    // Usually one ACL came or went: only the part between the common head and tail differs.
    const same = (x: PlacedAcl, y: PlacedAcl): boolean => x.acl === y.acl && x.key === y.key;
    let i = 0;
    while (i < before.length && i < after.length && same(before[i]!, after[i]!)) i++;
    let jb = before.length;
    let ja = after.length;
    while (jb > i && ja > i && same(before[jb - 1]!, after[ja - 1]!)) jb--, ja--;
    if (i === jb && i === ja) return;
    const next = new Map(after.slice(i, ja).map((p) => [p.key, p]));
    for (const p of before.slice(i, jb)) {
      const n = next.get(p.key);
      if (n && n.acl === p.acl) next.delete(p.key);
      else if (!n) this.edit(p, false).switches.delete(sw);
    }
    for (const p of next.values()) this.edit(p, true).switches.add(sw);
  }

  private edit(p: PlacedAcl, adding: boolean): { group: AclGroup; switches: Set<string> } {
    let e = this.pending.get(p.key);
    if (!e) {
      const old = this.groups.get(p.key);
      e = {
        group: old ?? { acl: p.acl, origin: p.origin, hasStateful: p.hasStateful, rejectMeter: p.rejectMeter, switches: new Set() },
        switches: new Set(old?.switches),
      };
      this.pending.set(p.key, e);
    }
    // Every switch that adds it reads the same snapshot: the newest row is the one to build from.
    if (adding && e.group.acl !== p.acl) e.group = { ...e.group, acl: p.acl };
    return e;
  }
}

function place(acls: readonly AclPlacement[], info: SwitchAcls): PlacedAcl[] {
  return acls.map((p) => placedAcl(p.acl, p.origin, info.hasStateful, info.rejectMeter));
}
