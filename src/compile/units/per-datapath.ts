// A unit family with one unit per datapath, <prefix>/<datapath>: flows that a per-datapath
// value (computed before the units, e.g. the learnt multicast groups or the health-checked
// backends on a switch) decides alone.  A unit is rebuilt when its inputs (compared by
// identity) changed; it goes with its datapath or its value.
import type { Diagnostic } from '../context.js';
import { makeContribution, type Contribution, type FlowStore } from '../flow-store.js';
import type { LFlow } from '../lflow.js';
import { SingleSets, type RunFacts, type UnitFamily } from './family.js';

export interface PerDatapathSpec<T> {
  readonly prefix: string;
  /** The units' sub (their order among the units of a datapath and phase). */
  readonly sub: string;
  readonly phase: number;
  /** Datapath UUID → its value this run. */
  readonly values: (run: RunFacts) => ReadonlyMap<string, T>;
  /** What the flows are a function of, compared element by element by identity. */
  readonly inputs: (run: RunFacts, value: T) => readonly unknown[];
  readonly build: (run: RunFacts, value: T) => readonly LFlow[];
  /** inc-engine/show-graph: what the units depend on. */
  readonly dependsOn: readonly string[];
}

export class PerDatapathUnits<T> implements UnitFamily {
  private readonly units = new Map<string, { inputs: readonly unknown[]; contribution: Contribution }>();
  private readonly singleSets = new SingleSets();
  recomputed = 0;

  constructor(
    private readonly store: FlowStore,
    private readonly spec: PerDatapathSpec<T>,
  ) {}

  get size(): number {
    return this.units.size;
  }

  update(run: RunFacts, _diagnostics: Diagnostic[]): void {
    this.recomputed = 0;
    const { prefix } = this.spec;
    const values = this.spec.values(run);
    const exists = (dp: string): boolean => run.topology.switchByUuid.has(dp) || run.topology.routerByUuid.has(dp);
    for (const [dp, value] of values) {
      if (!exists(dp)) continue;
      const id = `${prefix}/${dp}`;
      const inputs = this.spec.inputs(run, value);
      const was = this.units.get(id);
      if (was && was.inputs.length === inputs.length && was.inputs.every((x, i) => x === inputs[i])) continue;
      const contribution = makeContribution(id, this.singleSets.of(dp), this.spec.sub, [{ phase: this.spec.phase, flows: this.spec.build(run, value) }], this.store.pool);
      this.units.set(id, { inputs, contribution });
      this.store.set(id, contribution);
      this.recomputed++;
    }
    for (const id of this.units.keys()) {
      const dp = id.slice(prefix.length + 1);
      if (values.has(dp) && exists(dp)) continue;
      this.units.delete(id);
      this.store.set(id, undefined);
      this.singleSets.delete(dp);
    }
  }

  describe(verbose: boolean): string[] {
    const lines: string[] = [];
    for (const [id, u] of this.units) {
      lines.push(`${id}: ${u.contribution.flows.size} flows`);
      if (verbose) for (const d of this.spec.dependsOn) lines.push(`  <- ${d}`);
    }
    return lines;
  }
}
