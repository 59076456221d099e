// A router's NAT rules (man ovn-northd, "Logical Router Datapaths": ingress table "IP Input"
// ARP/ND replies for NAT addresses, "UNSNAT", "DNAT"; egress "SNAT"; northd.c
// lrouter_check_nat_entry, build_lrouter_in_unsnat_flow, build_lrouter_in_dnat_flow,
// build_lrouter_out_snat_flow, build_lrouter_arp_nd_for_datapath).
//
// Done: the rules of gateway routers (snat, dnat, dnat_and_snat; stateless dnat_and_snat,
// external_port_range, dnat_force_snat_ip), and the datapath-level ARP/ND replies for NAT
// external addresses of every router.  Not yet (unsupported.ts says so): the rules of
// routers with distributed gateway ports (centralised and distributed NAT), and rules
// with allowed_ext_ips/exempted_ext_ips (not applied at all until then).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { ipParseMasked, ipv4CountCidrBits, ipv6CountCidrBits, ipv6ParseMasked } from '../../model/ip.js';
import { smapGetBool } from '../../model/smap.js';
import type { NbNAT } from '../../model/nb.js';
import { LR_IN_DNAT, LR_IN_IP_INPUT, LR_IN_UNSNAT, LR_OUT_SNAT } from '../stages.js';
import type { Router } from '../topology.js';
import { REG_INPORT_ETH_ADDR, routerCoppMeter } from './common.js';

/** A NAT rule that passed lrouter_check_nat_entry() on a gateway router. */
interface CheckedNat {
  readonly nb: NbNAT;
  readonly isV6: boolean;
  /** Prefix length of logical_ip (the SNAT priority is one more). */
  readonly cidrBits: number;
  /** options:stateless=true on a dnat_and_snat rule. */
  readonly stateless: boolean;
}

const ALL_ONES_V6 = (1n << 128n) - 1n;

/**
 * lrouter_check_nat_entry() for a router without distributed gateway ports: external_ip one
 * address, logical_ip a network (snat) or one address (dnat, dnat_and_snat) of the same
 * family.  A rejected rule is warned about and gets no flows.
 */
function checkNatEntry(ctx: CompileContext, rtr: Router, nat: NbNAT): CheckedNat | undefined {
  if (nat.allowed_ext_ips !== undefined && nat.exempted_ext_ips !== undefined) {
    ctx.warn('nat-ext-ips', `NAT rule: ${nat._uuid} not applied, since both allowed and exempt external ips set`);
    return undefined;
  }
  // Not implemented yet (unsupported.ts warns): applying the rule without its filter would
  // open it to every external address, so it is not applied.
  if (nat.allowed_ext_ips !== undefined || nat.exempted_ext_ips !== undefined) return undefined;
  let isV6 = false;
  const ext4 = ipParseMasked(nat.external_ip);
  if (!ext4.ok || ext4.value.mask !== 0xffffffff) {
    const ext6 = ipv6ParseMasked(nat.external_ip);
    if (!ext6.ok || ext6.value.mask !== ALL_ONES_V6) {
      ctx.warn('nat-bad-external-ip', `bad external ip ${nat.external_ip} for nat`);
      return undefined;
    }
    isV6 = true;
  }
  // A weak reference: a deleted port is no gateway_port at all.
  const gwPort = nat.gateway_port !== undefined ? ctx.nb.Logical_Router_Port.get(nat.gateway_port) : undefined;
  if (gwPort) {
    ctx.warn('nat-gateway-port', `gateway_port: ${gwPort.name} of NAT configured on logical router: ${rtr.name} is not a valid distributed gateway port on that router`);
    return undefined;
  }
  let cidrBits: number;
  let exact: boolean;
  if (isV6) {
    const l = ipv6ParseMasked(nat.logical_ip);
    if (!l.ok) return badLogicalIp(ctx, rtr, nat);
    cidrBits = ipv6CountCidrBits(l.value.mask);
    exact = l.value.mask === ALL_ONES_V6;
  } else {
    const l = ipParseMasked(nat.logical_ip);
    if (!l.ok) return badLogicalIp(ctx, rtr, nat);
    cidrBits = ipv4CountCidrBits(l.value.mask);
    exact = l.value.mask === 0xffffffff;
  }
  if (nat.type !== 'snat' && !exact) return badLogicalIp(ctx, rtr, nat);
  return { nb: nat, isV6, cidrBits, stateless: nat.type === 'dnat_and_snat' && smapGetBool(nat.options, 'stateless', false) };
}

function badLogicalIp(ctx: CompileContext, rtr: Router, nat: NbNAT): undefined {
  const msg = nat.type === 'snat' ? `bad ip network or ip ${nat.logical_ip} for snat in router ${rtr.uuid}` : `bad ip ${nat.logical_ip} for dnat in router ${rtr.uuid}`;
  ctx.warn('nat-bad-logical-ip', msg);
  return undefined;
}

/** The ",<range>" of ct_snat/ct_dnat when the rule has external_port_range. */
const portRange = (nat: NbNAT): string => (nat.external_port_range ? `,${nat.external_port_range}` : '');

/**
 * A gateway router's per-rule flows, in the reference's order (rule by rule: unSNAT, DNAT,
 * SNAT).  The caller emits nothing for routers with distributed gateway ports yet.
 */
export function gatewayRouterNatFlows(ctx: CompileContext, rtr: Router, dnatForceSnat: boolean): LFlow[] {
  const f = new FlowSink();
  for (const e of rtr.natEntries) {
    const c = checkNatEntry(ctx, rtr, e.nb);
    if (!c) continue;
    const nat = c.nb;
    const ipv = c.isV6 ? '6' : '4';
    const hint = nat._uuid;
    const snat = nat.type === 'snat' || nat.type === 'dnat_and_snat';
    const dnat = nat.type === 'dnat' || nat.type === 'dnat_and_snat';
    // Replies to SNATed connections are unSNATed before any DNAT.
    if (snat) f.add(LR_IN_UNSNAT, 90, `ip && ip${ipv}.dst == ${nat.external_ip}`, c.stateless ? 'next;' : 'ct_snat;', { hint });
    if (dnat) {
      // The packet may go back out of the port it came in through: flags.loopback.
      const force = dnatForceSnat ? 'flags.force_snat_for_dnat = 1; ' : '';
      const act = c.stateless ? `flags.loopback = 1; ip${ipv}.dst=${nat.logical_ip}; next;` : `flags.loopback = 1; ct_dnat(${nat.logical_ip}${portRange(nat)});`;
      f.add(LR_IN_DNAT, 100, `ip && ip${ipv}.dst == ${nat.external_ip}`, force + act, { hint });
    }
    if (snat) {
      // The longest logical network wins.
      const m = `ip && ip${ipv}.src == ${nat.logical_ip}`;
      if (c.stateless) f.add(LR_OUT_SNAT, c.cidrBits + 1, m, `ip${ipv}.src=${nat.external_ip}; next;`, { hint });
      else f.add(LR_OUT_SNAT, c.cidrBits + 1, `${m} && (!ct.trk || !ct.rpl)`, `ct_snat(${nat.external_ip}${portRange(nat)});`, { hint });
    }
  }
  return f.out;
}

/**
 * build_lrouter_arp_nd_for_datapath(): priority 90, the router answers ARP and neighbour
 * solicitations for the external addresses of its NAT rules, on any port — every rule but
 * snat ones, then one flow per distinct SNAT address (named by its first snat rule).
 */
export function natArpNdReplies(ctx: CompileContext, rtr: Router): LFlow[] {
  const f = new FlowSink();
  if (!rtr.natEntries.length) return f.out;
  const mac = REG_INPORT_ETH_ADDR;
  const reply = (e: Router['natEntries'][number]): void => {
    const hint = e.nb._uuid;
    if (e.isV6) {
      const a = e.ext!.ipv6Addrs[0]!;
      f.add(
        LR_IN_IP_INPUT,
        90,
        `ip6.dst == {${a.addrStr}, ${a.snAddrStr}} && nd_ns && nd.target == ${a.addrStr}`,
        `nd_na { eth.src = ${mac}; ip6.src = nd.target; nd.tll = ${mac}; outport = inport; flags.loopback = 1; output; };`,
        { hint, meter: routerCoppMeter(ctx, rtr, 'nd-na') },
      );
    } else {
      const ip = e.ext!.ipv4Addrs[0]!.addrStr;
      f.add(
        LR_IN_IP_INPUT,
        90,
        `arp.op == 1 && arp.tpa == ${ip}`,
        `eth.dst = eth.src; eth.src = ${mac}; arp.op = 2; /* ARP reply */ arp.tha = arp.sha; arp.sha = ${mac}; arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; output;`,
        { hint },
      );
    }
  };
  for (const e of rtr.natEntries) if (e.ext && e.nb.type !== 'snat') reply(e);
  const snatIps = new Set<string>();
  for (const e of rtr.natEntries) {
    if (!e.ext || e.nb.type !== 'snat') continue;
    const ip = e.isV6 ? e.ext.ipv6Addrs[0]!.addrStr : e.ext.ipv4Addrs[0]!.addrStr;
    if (snatIps.has(ip)) continue;
    snatIps.add(ip);
    reply(e);
  }
  return f.out;
}
