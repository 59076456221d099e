// SB Chassis_Template_Var (sync_template_vars): every NB row is copied to the
// SB as it is, keyed by its chassis name, so that ovn-controller on that
// chassis can substitute the ^variables of template load balancers, ACLs and
// policies.  Rows without an NB row are removed.
//
// Incremental: the same NB table gives the same map.
import type { NbChassisTemplateVar } from '../model/nb.js';

export type TemplateVars = Readonly<Record<string, string>>;

export class TemplateVarSync {
  private table: ReadonlyMap<string, NbChassisTemplateVar> | undefined;
  private out: ReadonlyMap<string, TemplateVars> = new Map();

  update(nb: { Chassis_Template_Var: ReadonlyMap<string, NbChassisTemplateVar> }): ReadonlyMap<string, TemplateVars> {
    if (nb.Chassis_Template_Var === this.table) return this.out;
    this.table = nb.Chassis_Template_Var;
    const out = new Map<string, TemplateVars>();
    // chassis is an NB index: one row per chassis.
    // The replica is immutable, so an unchanged row gives the same variables object.
    for (const row of nb.Chassis_Template_Var.values()) if (!out.has(row.chassis)) out.set(row.chassis, row.variables);
    this.out = out;
    return out;
  }
}
