// What every stateful-stage builder of a logical switch reads.
import type { CompileContext } from '../context.js';
import type { NbLogicalSwitch, NbLogicalSwitchPort } from '../../model/nb.js';
import type { ResolvedLb } from '../lb/resolve.js';
import type { SwitchStatefulFacts } from './stateful-facts.js';
import { jsonKey } from '../topology.js';

export interface SwitchStatefulInput {
  readonly ctx: CompileContext;
  readonly sw: NbLogicalSwitch;
  /** Load balancers applied to this switch (directly or through groups). */
  readonly lbs: readonly ResolvedLb[];
  readonly facts: SwitchStatefulFacts;
}

export { jsonKey } from '../topology.js';

export function portKey(p: NbLogicalSwitchPort): string {
  return jsonKey(p.name);
}
