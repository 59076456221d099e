// What every stateful-stage builder of a logical switch reads.
import type { CompileContext } from '../context.js';
import type { NbLogicalSwitch, NbLogicalSwitchPort } from '../../model/nb.js';
import type { ResolvedLb } from '../lb/resolve.js';
import type { SwitchStatefulFacts } from './stateful-facts.js';

export interface SwitchStatefulInput {
  readonly ctx: CompileContext;
  readonly sw: NbLogicalSwitch;
  /** Load balancers applied to this switch (directly or through groups). */
  readonly lbs: readonly ResolvedLb[];
  readonly facts: SwitchStatefulFacts;
}

/** A port name as it appears in matches (json_key: a JSON string). */
export function jsonKey(name: string): string {
  return JSON.stringify(name);
}

export function portKey(p: NbLogicalSwitchPort): string {
  return jsonKey(p.name);
}
