// The merged flow table, kept up to date contribution by contribution.
//
// A contribution is the output of one unit of work (one switch's own flows,
// one load balancer's flows on the switches it applies to): a list of flows
// and the set of datapaths they go on.  Identical flows (same flowKey) from
// several contributions become one MergedFlow whose datapaths are the union;
// that is how they become one SB Logical_Flow row with a Logical_DP_Group.
//
// Replacing a contribution touches only its own flow keys, and the store
// remembers which merged flows actually changed since the last `takeChanges()`
// — that is what the incremental SB differ writes.
//
// When contributions disagree on the attributes that are not part of the key
// (stage-hint, in/out port tag), the one that comes first in the compile order
// wins: the datapath's rank in the reference's datapath walk, then the phase
// within a switch (own flows before its LB flows before its port flows), then
// the position inside the contribution.  This is a function of the current
// contents only, so the result does not depend on the order of past changes.
import { flowKey, type LFlow, type MergedFlow } from './lflow.js';

/** Where a contribution's flows sit in a switch's compile order. */
export const PHASE_OWN = 0;
export const PHASE_LB = 1;
export const PHASE_PORTS = 2;

interface PlacedFlow {
  readonly flow: LFlow;
  readonly phase: number;
  readonly idx: number;
}

export interface Contribution {
  readonly id: string;
  readonly datapaths: ReadonlySet<string>;
  /** Tie-break between contributions of the same phase on the same datapath (an LB's UUID). */
  readonly sub: string;
  /** Flow key → first flow with that key in this contribution. */
  readonly flows: ReadonlyMap<string, PlacedFlow>;
}

/**
 * One copy of each flow key, and of each flow without a hint or port tag:
 * most switch flows are the same on every switch (500 switches, 4,000 flows
 * each, 2 million flow objects of which a few thousand differ), so every
 * contribution keeps the shared objects and the duplicates die young.
 * Entries live while some contribution has the key (FlowStore prunes them).
 */
export class FlowPool {
  private readonly byKey = new Map<string, { key: string; flow: LFlow | undefined }>();

  /** The canonical key string and flow for `flow`. */
  intern(flow: LFlow): { key: string; flow: LFlow } {
    const k = flowKey(flow);
    const plain = flow.hint === undefined && flow.ioPort === undefined;
    let e = this.byKey.get(k);
    if (!e) this.byKey.set(k, (e = { key: k, flow: plain ? flow : undefined }));
    else if (plain && !e.flow) e.flow = flow;
    return { key: e.key, flow: plain ? e.flow! : flow };
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** The canonical string equal to `key`, or `key` when no flow has it. */
  canonicalKey(key: string): string {
    return this.byKey.get(key)?.key ?? key;
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** Builds a contribution; a repeated key keeps its first flow.  Keys and plain flows come from `pool`. */
export function makeContribution(
  id: string,
  datapaths: ReadonlySet<string>,
  sub: string,
  parts: readonly { readonly phase: number; readonly flows: readonly LFlow[] }[],
  pool?: FlowPool,
): Contribution {
  const flows = new Map<string, PlacedFlow>();
  let idx = 0;
  for (const part of parts) {
    for (const f of part.flows) {
      const { key, flow } = pool ? pool.intern(f) : { key: flowKey(f), flow: f };
      if (!flows.has(key)) flows.set(key, { flow, phase: part.phase, idx });
      idx++;
    }
  }
  return { id, datapaths, sub, flows };
}

interface Entry {
  /** Contribution id → contribution (the placed flow is looked up by key). */
  readonly contribs: Map<string, Contribution>;
}

export class FlowStore {
  /** The merged flows, by flow key.  Read-only for everyone else. */
  readonly flows = new Map<string, MergedFlow>();
  /** Shared keys and flows for the contributions of this store (see FlowPool). */
  readonly pool = new FlowPool();
  private readonly entries = new Map<string, Entry>();
  private readonly contributions = new Map<string, Contribution>();
  /** Keys whose contributions disagree on hint/ioPort: re-ranked when the datapath order changes. */
  private readonly ambiguous = new Set<string>();
  private dirty = new Set<string>();
  /** Of the dirty keys, those that only gained contributions (which), and those that changed otherwise. */
  private added = new Map<string, Contribution[]>();
  private complex = new Set<string>();
  private readonly sets = new DatapathSets();
  private changed = new Set<string>();
  /** Changed keys whose merged flow kept its flow object: only the datapath set moved. */
  private datapathOnly = new Set<string>();
  private rank: ReadonlyMap<string, number> = new Map();

  get size(): number {
    return this.flows.size;
  }

  /** The datapath walk order; flows whose representative depends on it are re-ranked. */
  setDatapathRank(rank: ReadonlyMap<string, number>): void {
    if (sameRank(this.rank, rank)) return;
    this.rank = rank;
    for (const k of this.ambiguous) {
      this.dirty.add(k);
      this.complex.add(k);
    }
  }

  /** Adds, replaces (when the id exists) or with `undefined` removes a contribution. */
  set(id: string, next: Contribution | undefined): void {
    const prev = this.contributions.get(id);
    if (prev === next) return;
    if (prev && next && prev.flows === next.flows && prev.sub === next.sub) {
      this.moveDatapaths(id, next);
      return;
    }
    if (prev) {
      const sameDps = next !== undefined && sameSet(prev.datapaths, next.datapaths);
      for (const [key, pf] of prev.flows) {
        const np = next?.flows.get(key);
        if (np && sameDps && samePlaced(np, pf) && prev.sub === next!.sub) {
          // The same flow (a key is the flow's content) in the same place: only the entry's pointer moves.
          this.entries.get(key)!.contribs.set(id, next!);
          continue;
        }
        const e = this.entries.get(key)!;
        e.contribs.delete(id);
        this.dirty.add(key);
        this.complex.add(key);
      }
    }
    if (next) {
      this.contributions.set(id, next);
      for (const key of next.flows.keys()) {
        let e = this.entries.get(key);
        if (!e) this.entries.set(key, (e = { contribs: new Map() }));
        const had = e.contribs.get(id);
        if (had !== next) {
          if (had === undefined && !this.complex.has(key)) {
            const a = this.added.get(key);
            if (a) a.push(next);
            else this.added.set(key, [next]);
          } else {
            this.complex.add(key);
          }
          e.contribs.set(id, next);
          this.dirty.add(key);
        }
      }
    } else {
      this.contributions.delete(id);
    }
  }

  /**
   * The same flows on another datapath set (a load balancer whose group gained a switch):
   * a key only this contribution has gets its merged flow at once (its flow, the new set),
   * without the merge; the others are merged at commit as usual.
   */
  private moveDatapaths(id: string, next: Contribution): void {
    this.contributions.set(id, next);
    for (const key of next.flows.keys()) {
      const e = this.entries.get(key)!;
      e.contribs.set(id, next);
      const before = e.contribs.size === 1 && !this.dirty.has(key) ? this.flows.get(key) : undefined;
      if (!before) {
        this.dirty.add(key);
        this.complex.add(key);
        continue;
      }
      if (sameSet(before.datapaths, next.datapaths)) continue;
      this.flows.set(key, { flow: before.flow, datapaths: next.datapaths as Set<string> });
      // Newly changed (the set grew): only its datapaths moved.
      const n = this.changed.size;
      this.changed.add(key);
      if (this.changed.size !== n) this.datapathOnly.add(key);
    }
  }

  /** Recomputes the merged flows of every touched key; returns the keys whose merged flow changed. */
  commit(): ReadonlySet<string> {
    for (const key of this.dirty) {
      const e = this.entries.get(key);
      const before = this.flows.get(key);
      if (!e || e.contribs.size === 0) {
        this.entries.delete(key);
        this.ambiguous.delete(key);
        this.pool.delete(key);
        if (before) {
          this.flows.delete(key);
          this.changed.add(key);
          this.datapathOnly.delete(key);
        }
        continue;
      }
      const merged = (before && !this.complex.has(key) && this.mergeAdded(key, before)) || this.merge(key, e);
      if (!before || !sameMerged(before, merged)) {
        this.flows.set(key, merged);
        if (!this.changed.has(key) && before?.flow === merged.flow) this.datapathOnly.add(key);
        else this.datapathOnly.delete(key);
        this.changed.add(key);
      }
    }
    this.dirty = new Set();
    this.added = new Map();
    this.complex = new Set();
    return this.changed;
  }

  /** Keys changed since the last call (added, removed or modified merged flows). */
  takeChanges(): ReadonlySet<string> {
    const c = this.changed;
    this.changed = new Set();
    this.datapathOnly = new Set();
    return c;
  }

  /** Of the keys takeChanges() will return, those whose flow content stayed the same object. */
  datapathOnlyChanges(): ReadonlySet<string> {
    return this.datapathOnly;
  }

  /**
   * The merged flow when the key only gained contributions that agree with
   * its flow (a switch added next to 500 others): the old union plus theirs,
   * without walking every contribution.  Undefined when that does not apply.
   */
  private mergeAdded(key: string, before: MergedFlow): MergedFlow | undefined {
    const adds = this.added.get(key);
    if (!adds || this.ambiguous.has(key)) return undefined;
    const f0 = before.flow;
    let datapaths = before.datapaths as ReadonlySet<string>;
    for (const c of adds) {
      const f = c.flows.get(key)!.flow;
      if (f !== f0 && (f.hint !== f0.hint || f.ioPort !== f0.ioPort)) return undefined;
      datapaths = this.sets.union(datapaths, c.datapaths);
    }
    return { flow: f0, datapaths: datapaths as Set<string> };
  }

  private merge(key: string, e: Entry): MergedFlow {
    let first: Contribution | undefined;
    let datapaths: Set<string> | undefined;
    let agree = true;
    for (const c of e.contribs.values()) {
      if (!first) {
        first = c;
        continue;
      }
      const a = first.flows.get(key)!.flow;
      const b = c.flows.get(key)!.flow;
      if (a !== b && (a.hint !== b.hint || a.ioPort !== b.ioPort)) agree = false;
    }
    if (e.contribs.size === 1) {
      // One contribution: share its datapath set (an LB's flows on hundreds of switches).
      datapaths = first!.datapaths as Set<string>;
    } else {
      datapaths = new Set();
      for (const c of e.contribs.values()) for (const d of c.datapaths) datapaths.add(d);
      datapaths = this.sets.canonical(datapaths) as Set<string>;
    }
    let rep = first!;
    if (!agree) {
      this.ambiguous.add(key);
      let best: Order | undefined;
      for (const c of e.contribs.values()) {
        const o = this.orderOf(c, key);
        if (!best || lexLess(o, best)) (best = o), (rep = c);
      }
    } else {
      this.ambiguous.delete(key);
    }
    return { flow: rep.flows.get(key)!.flow, datapaths };
  }

  private orderOf(c: Contribution, key: string): Order {
    const pf = c.flows.get(key)!;
    let r = Infinity;
    for (const d of c.datapaths) r = Math.min(r, this.rank.get(d) ?? Infinity);
    return [r, pf.phase, c.sub, pf.idx];
  }
}

type Order = [rank: number, phase: number, sub: string, idx: number];

/**
 * One object per distinct union of datapaths: the common flows of 500
 * switches share one set, so the SB differ sorts and signs it once, and the
 * union with a new switch's set is computed once for all of them.
 */
class DatapathSets {
  private readonly byHash = new Map<string, ReadonlySet<string>[]>();
  private readonly hashOf = new Map<string, number>();
  private readonly unions = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, ReadonlySet<string>>>();

  canonical(set: ReadonlySet<string>): ReadonlySet<string> {
    let h1 = 0;
    let h2 = 0;
    for (const d of set) {
      const h = this.hash(d);
      h1 = (h1 + h) | 0;
      h2 = (h2 + Math.imul(h, h | 1)) | 0;
    }
    const k = `${set.size}:${h1}:${h2}`;
    const same = this.byHash.get(k);
    if (same) {
      for (const s of same) if (sameSet(s, set)) return s;
      same.push(set);
    } else {
      // A cache: forgetting it only costs sharing.
      if (this.byHash.size > 8192) this.byHash.clear();
      this.byHash.set(k, [set]);
    }
    return set;
  }

  /** a ∪ b, canonical; `a` is returned as is when it already holds b. */
  union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
    let m = this.unions.get(a);
    const known = m?.get(b);
    if (known) return known;
    let out: ReadonlySet<string> = a;
    for (const d of b) {
      if (out.has(d)) continue;
      if (out === a) out = new Set(a);
      (out as Set<string>).add(d);
    }
    if (out !== a) out = this.canonical(out);
    if (!m) this.unions.set(a, (m = new WeakMap()));
    m.set(b, out);
    return out;
  }

  private hash(d: string): number {
    let h = this.hashOf.get(d);
    if (h === undefined) {
      h = 2166136261;
      for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d.charCodeAt(i), 16777619);
      if (this.hashOf.size > 1 << 20) this.hashOf.clear();
      this.hashOf.set(d, h);
    }
    return h;
  }
}

function lexLess(a: Order, b: Order): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Equal for merging: key-equal flows differ only in hint and port tag. */
function samePlaced(a: { flow: { hint?: string | undefined; ioPort?: string | undefined }; phase: number; idx: number }, b: typeof a): boolean {
  return a.flow === b.flow || (a.flow.hint === b.flow.hint && a.flow.ioPort === b.flow.ioPort && a.phase === b.phase && a.idx === b.idx);
}

/**
 * Datapath sets are never modified once made, and thousands of flows share
 * one (a load balancer group's switches): a comparison of two large sets is
 * remembered per pair.
 */
const sameSetMemo = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, boolean>>();

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  if (a.size < 16) {
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  let m = sameSetMemo.get(a);
  const known = m?.get(b);
  if (known !== undefined) return known;
  let same = true;
  for (const x of a) {
    if (!b.has(x)) {
      same = false;
      break;
    }
  }
  if (!m) sameSetMemo.set(a, (m = new WeakMap()));
  m.set(b, same);
  return same;
}

function sameRank(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function sameMerged(a: MergedFlow, b: MergedFlow): boolean {
  const fa = a.flow;
  const fb = b.flow;
  if (fa !== fb && (fa.hint !== fb.hint || fa.ioPort !== fb.ioPort || fa.stage.name !== fb.stage.name)) return false;
  return sameSet(a.datapaths, b.datapaths);
}
