// Register bits and fields the logical switch's stateful stages use
// (northd.c REGBIT_* / REG_* of OVN 23.03.1), plus the small shared
// vocabulary of those stages.
import type { CompileContext } from '../context.js';

export const REGBIT_CONNTRACK_DEFRAG = 'reg0[0]';
export const REGBIT_CONNTRACK_COMMIT = 'reg0[1]';
export const REGBIT_CONNTRACK_NAT = 'reg0[2]';
export const REGBIT_HAIRPIN = 'reg0[6]';
export const REGBIT_ACL_HINT_ALLOW_NEW = 'reg0[7]';
export const REGBIT_ACL_HINT_ALLOW = 'reg0[8]';
export const REGBIT_ACL_HINT_DROP = 'reg0[9]';
export const REGBIT_ACL_HINT_BLOCK = 'reg0[10]';
export const REGBIT_HAIRPIN_REPLY = 'reg0[12]';
export const REGBIT_ACL_LABEL = 'reg0[13]';
export const REGBIT_FROM_RAMP = 'reg0[14]';
export const REGBIT_ACL_STATELESS = 'reg0[16]';
export const REGBIT_ACL_HINT_ALLOW_REL = 'reg0[17]';

export const REG_ORIG_DIP_IPV4 = 'reg1';
export const REG_ORIG_DIP_IPV6 = 'xxreg1';
export const REG_ORIG_TP_DPORT = 'reg2[0..15]';
export const REG_LABEL = 'reg3';
export const REG_LB_AFF_BACKEND_IP4 = 'reg4';
export const REG_LB_L2_AFF_BACKEND_IP6 = 'xxreg0';
export const REG_LB_AFF_MATCH_PORT = 'reg8[0..15]';
export const REGBIT_KNOWN_LB_SESSION = 'reg9[6]';

/** ACL priorities are offset by this much in the ACL stages. */
export const OVN_ACL_PRI_OFFSET = 1000;

/** ct_lb_mark when every chassis understands it, else the older ct_lb. */
export function ctLbAction(ctx: CompileContext): 'ct_lb_mark' | 'ct_lb' {
  return ctx.features.ctNoMaskedLabel ? 'ct_lb_mark' : 'ct_lb';
}

/** Where the "blocked" bit of a connection lives. */
export function ctBlocked(ctx: CompileContext): 'ct_mark.blocked' | 'ct_label.blocked' {
  return ctx.features.ctNoMaskedLabel ? 'ct_mark.blocked' : 'ct_label.blocked';
}

/** debug_implicit_drop_action(): a comment unless drop sampling is on. */
export function implicitDropAction(ctx: CompileContext): string {
  return ctx.dropAction === 'drop;' ? '/* drop */' : ctx.dropAction;
}

/** smap_get_bool() on NB_Global options. */
export function globalOption(ctx: CompileContext, key: string, dflt: boolean): boolean {
  const v = (ctx.options[key] ?? '').toLowerCase();
  return dflt ? v !== 'false' : v === 'true';
}
