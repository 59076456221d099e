// Router ingress table 20, gateway redirect (man ovn-northd, "Ingress Table
// 20: Gateway Redirect"; northd.c build_gateway_redirect_flows_for_lrouter):
// on a router with distributed gateway ports, traffic routed out of such a
// port is sent to its chassisredirect port, i.e. to the gateway chassis —
// except for ports whose switch has VTEP ports, which stay distributed.
// Stateless dnat_and_snat rules with allowed/exempted external IPs refine it.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { smapGetBool } from '../../model/smap.js';
import { LR_IN_GW_REDIRECT } from '../stages.js';
import type { NatEntry, Router, RouterPort, Topology } from '../topology.js';
import { crJsonKey, peerSwitch } from './common.js';

/** lrouter_dnat_and_snat_is_stateless(). */
function isStatelessDnatAndSnat(n: NatEntry): boolean {
  return n.nb.type === 'dnat_and_snat' && smapGetBool(n.nb.options, 'stateless', false);
}

/** The redirect of one distributed gateway port, with its NAT external-IP filters. */
function redirectPort(f: FlowSink, ctx: CompileContext, rtr: Router, p: RouterPort): void {
  const match = `outport == ${p.jsonKey}`;
  const actions = `outport = ${crJsonKey(p)}; next;`;
  const hint = p.nb._uuid;
  f.add(LR_IN_GW_REDIRECT, 50, match, actions, { hint });
  let defaultDropAdded = false;
  for (const n of rtr.natEntries) {
    if (!isStatelessDnatAndSnat(n)) continue;
    const allowed = n.nb.allowed_ext_ips;
    const setUuid = allowed ?? n.nb.exempted_ext_ips;
    if (setUuid === undefined) continue;
    const set = ctx.nb.Address_Set.get(setUuid);
    if (!set) continue;
    const ipv = n.isV6 ? '6' : '4';
    const filtered = `${match} && ip${ipv}.src == $${set.name}`;
    if (allowed !== undefined) {
      f.add(LR_IN_GW_REDIRECT, 75, filtered, actions, { hint });
      if (!defaultDropAdded) {
        f.add(LR_IN_GW_REDIRECT, 70, `ip && ip${ipv}.dst == ${n.nb.external_ip}`, ctx.dropAction);
        defaultDropAdded = true;
      }
    } else {
      f.add(LR_IN_GW_REDIRECT, 75, filtered, ctx.dropAction, { hint });
    }
  }
}

export function gatewayRedirect(ctx: CompileContext, topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  for (const p of rtr.l3dgwPorts) {
    if (peerSwitch(topo, p)?.hasVtepLports) continue;
    redirectPort(f, ctx, rtr, p);
  }
  f.add(LR_IN_GW_REDIRECT, 0, '1', 'next;');
  return f.out;
}
