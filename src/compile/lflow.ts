// Logical flow records as the compiler produces them, and the table that
// merges identical flows of several datapaths into one row, as the reference
// does: a flow is identified by (stage, priority, match, actions, meter); the
// first builder to add it decides its hint and in/out port tag.
import type { Stage } from './stages.js';

export interface LFlow {
  readonly stage: Stage;
  readonly priority: number;
  readonly match: string;
  readonly actions: string;
  /** NB row UUID this flow derives from (SB external_ids:stage-hint = first 8 hex digits). */
  readonly hint?: string;
  /** Logical port for SB tags:in_out_port. */
  readonly ioPort?: string;
  /** SB controller_meter. */
  readonly meter?: string;
}

/**
 * The identity of a flow, independent of the datapath it is on.  The stage name is part
 * of it: a switch's ls_in table 5 and a router's lr_in table 5 are different stages, and
 * equal flows in them are different rows (SB external_ids:stage-name tells them apart).
 */
export function flowKey(f: LFlow): string {
  return `${f.stage.pipeline}\u0000${f.stage.table}\u0000${f.stage.name}\u0000${f.priority}\u0000${f.match}\u0000${f.actions}\u0000${f.meter ?? ''}`;
}

/** A flow and the datapaths (NB UUIDs of switches/routers) it applies to. */
export interface MergedFlow {
  readonly flow: LFlow;
  readonly datapaths: Set<string>;
}

/** The merged flows of a compile, by flowKey(). */
export interface MergedFlows {
  readonly flows: ReadonlyMap<string, MergedFlow>;
  readonly size: number;
}

/** Convenience sink that builders push into; keeps builder code declarative. */
export class FlowSink {
  readonly out: LFlow[] = [];
  add(
    stage: Stage,
    priority: number,
    match: string,
    actions: string,
    opts: { hint?: string; ioPort?: string; meter?: string } = {},
  ): void {
    this.out.push({ stage, priority, match, actions, ...stripUndefined(opts) });
  }
}

function stripUndefined<T extends object>(o: T): T {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) r[k] = v;
  return r as T;
}

/** The drop action the reference uses everywhere (debug_drop_action without debug options). */
export const DROP = 'drop;';
