// Ingress table ls_in_acl_hint / egress table ls_out_acl_hint (man ovn-northd
// "ACL hints"): from the conntrack state, precompute which kinds of ACL flow
// (allow-new, allow, drop, block) a packet may hit.
import type { LFlow } from '../lflow.js';
import { FlowSink } from '../lflow.js';
import { LS_IN_ACL_HINT, LS_OUT_ACL_HINT } from '../stages.js';
import {
  REGBIT_ACL_HINT_ALLOW,
  REGBIT_ACL_HINT_ALLOW_NEW,
  REGBIT_ACL_HINT_BLOCK,
  REGBIT_ACL_HINT_DROP,
  ctBlocked,
} from './stateful-regs.js';
import type { SwitchStatefulInput } from './stateful-common.js';

export function buildAclHints(input: SwitchStatefulInput): LFlow[] {
  const { ctx, facts } = input;
  const blocked = ctBlocked(ctx);
  const sink = new FlowSink();
  for (const stage of [LS_IN_ACL_HINT, LS_OUT_ACL_HINT]) {
    if (!facts.hasAcls && !facts.hasLbVip) sink.add(stage, 65535, '1', 'next;');
    else sink.add(stage, 0, '1', 'next;');

    if (!facts.hasStatefulAcl && !facts.hasLbVip) continue;

    // New connections may hit allow ACLs (and must then be committed) or drop ACLs.
    sink.add(stage, 7, 'ct.new && !ct.est', `${REGBIT_ACL_HINT_ALLOW_NEW} = 1; ${REGBIT_ACL_HINT_DROP} = 1; next;`);
    // Established, blocked, request direction: re-allowed by a re-added ACL, or dropped.
    sink.add(
      stage,
      6,
      `!ct.new && ct.est && !ct.rpl && ${blocked} == 1`,
      `${REGBIT_ACL_HINT_ALLOW_NEW} = 1; ${REGBIT_ACL_HINT_DROP} = 1; next;`,
    );
    // Untracked traffic.
    sink.add(stage, 5, '!ct.trk', `${REGBIT_ACL_HINT_ALLOW} = 1; ${REGBIT_ACL_HINT_DROP} = 1; next;`);
    // Established, allowed, request direction: allow, or block and commit.
    sink.add(
      stage,
      4,
      `!ct.new && ct.est && !ct.rpl && ${blocked} == 0`,
      `${REGBIT_ACL_HINT_ALLOW} = 1; ${REGBIT_ACL_HINT_BLOCK} = 1; next;`,
    );
    sink.add(stage, 3, '!ct.est', `${REGBIT_ACL_HINT_DROP} = 1; next;`);
    sink.add(stage, 2, `ct.est && ${blocked} == 1`, `${REGBIT_ACL_HINT_DROP} = 1; next;`);
    sink.add(stage, 1, `ct.est && ${blocked} == 0`, `${REGBIT_ACL_HINT_BLOCK} = 1; next;`);
  }
  return sink.out;
}
