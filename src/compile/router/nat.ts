// A router's NAT rules (man ovn-northd, "Logical Router Datapaths": ingress table "IP Input"
// ARP/ND replies for NAT addresses, "UNSNAT", "DNAT"; egress "SNAT"; northd.c
// lrouter_check_nat_entry, build_lrouter_in_unsnat_flow, build_lrouter_in_dnat_flow,
// build_lrouter_out_snat_flow, build_lrouter_arp_nd_for_datapath).
//
// Gateway routers apply every rule in their own zones; a router with distributed gateway
// ports (DGPs) applies a rule at the DGP it belongs to (gateway_port, or the only DGP, or the
// one whose network holds the external IP): on the gateway chassis ("centralised"), or — a
// dnat_and_snat with logical_port and external_mac — on the chassis of that port
// ("distributed", with its own MAC).  Also: stateless dnat_and_snat, external_port_range,
// dnat_force_snat_ip, allowed_ext_ips / exempted_ext_ips (the external addresses a rule
// applies to), the ARP/ND replies for NAT external addresses (every router per datapath,
// DGPs per port).
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { inetPton4, inetPton6, ipParseMasked, ipv4CountCidrBits, ipv6CountCidrBits, ipv6ParseMasked } from '../../model/ip.js';
import { formatMac, scanMac } from '../../model/mac.js';
import { smapGetBool } from '../../model/smap.js';
import type { NbNAT } from '../../model/nb.js';
import {
  LR_IN_ADMISSION,
  LR_IN_ARP_RESOLVE,
  LR_IN_DNAT,
  LR_IN_GW_REDIRECT,
  LR_IN_IP_INPUT,
  LR_IN_UNSNAT,
  LR_OUT_CHECK_DNAT_LOCAL,
  LR_OUT_EGR_LOOP,
  LR_OUT_SNAT,
  LR_OUT_UNDNAT,
} from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import {
  arpReplyActions,
  crJsonKey,
  gatewayMtu,
  REG_INPORT_ETH_ADDR,
  REG_NEXT_HOP_IPV4,
  REG_NEXT_HOP_IPV6,
  REG_SRC_IPV4,
  REG_SRC_IPV6,
  REGBIT_DST_NAT_IP_LOCAL,
  REGBIT_EGRESS_LOOPBACK,
  ndReplyActions,
  REGBIT_PKT_LARGER,
  routerCoppMeter,
} from './common.js';
import { gatewayMtuFlow } from './admission.js';

/** A NAT rule that passed lrouter_check_nat_entry(). */
interface CheckedNat {
  readonly nb: NbNAT;
  readonly isV6: boolean;
  /** Prefix length of logical_ip (the SNAT priority is one more). */
  readonly cidrBits: number;
  /** options:stateless=true on a dnat_and_snat rule. */
  readonly stateless: boolean;
  /** The DGP the rule is applied at (routers with DGPs). */
  readonly dgp: RouterPort | undefined;
  /** Applied on the chassis of logical_port, with external_mac (normalised). */
  readonly distributed: boolean;
  readonly mac: string;
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
  let dgp: RouterPort | undefined;
  if (gwPort) {
    dgp = rtr.l3dgwPorts.find((p) => p.name === gwPort.name);
    if (!dgp) {
      ctx.warn('nat-gateway-port', `gateway_port: ${gwPort.name} of NAT configured on logical router: ${rtr.name} is not a valid distributed gateway port on that router`);
      return undefined;
    }
  } else if (rtr.l3dgwPorts.length === 1) {
    dgp = rtr.l3dgwPorts[0];
  } else if (rtr.l3dgwPorts.length > 1) {
    dgp = rtr.l3dgwPorts.find((p) => holdsAddress(p, nat.external_ip));
    if (!dgp) {
      ctx.warn('nat-gateway-port', `Unable to determine gateway_port for NAT with external_ip: ${nat.external_ip} configured on logical router: ${rtr.name} with multiple distributed gateway ports`);
      return undefined;
    }
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
  let distributed = false;
  let mac = '';
  if (rtr.l3dgwPorts.length && nat.type === 'dnat_and_snat' && nat.logical_port !== undefined && nat.external_mac !== undefined) {
    const m = scanMac(nat.external_mac);
    if (!m) {
      ctx.warn('nat-bad-mac', `bad mac ${nat.external_mac} for dnat in router ${rtr.uuid}`);
      return undefined;
    }
    distributed = true;
    mac = formatMac(m.mac);
  }
  return { nb: nat, isV6, cidrBits, stateless: nat.type === 'dnat_and_snat' && smapGetBool(nat.options, 'stateless', false), dgp, distributed, mac };
}

/** find_lrp_member_ip(): whether one of the port's networks holds `ip`. */
function holdsAddress(p: RouterPort, ip: string): boolean {
  const v4 = inetPton4(ip);
  if (v4 !== undefined) return p.networks.ipv4Addrs.some((a) => ((a.network ^ v4) & a.mask) >>> 0 === 0);
  const v6 = inetPton6(ip);
  return v6 !== undefined && p.networks.ipv6Addrs.some((a) => ((a.network ^ v6) & a.mask) === 0n);
}

function badLogicalIp(ctx: CompileContext, rtr: Router, nat: NbNAT): undefined {
  const msg = nat.type === 'snat' ? `bad ip network or ip ${nat.logical_ip} for snat in router ${rtr.uuid}` : `bad ip ${nat.logical_ip} for dnat in router ${rtr.uuid}`;
  ctx.warn('nat-bad-logical-ip', msg);
  return undefined;
}

/** The ",<range>" of ct_snat/ct_dnat when the rule has external_port_range. */
const portRange = (nat: NbNAT): string => (nat.external_port_range ? `,${nat.external_port_range}` : '');

/**
 * A router's per-rule flows, rule by rule in the reference's order: unSNAT, DNAT, ARP resolve
 * of the external address, "DNAT is local", unDNAT, SNAT, ingress, gateway redirect, egress
 * loopback.  Only for gateway routers and routers with distributed gateway ports.
 */
export function routerNatFlows(ctx: CompileContext, topo: Topology, rtr: Router, dnatForceSnat: boolean): LFlow[] {
  const f = new FlowSink();
  const gw = rtr.isGwRouter;
  /** External addresses that have their ARP-resolve flows (the first rule naming one gives them). */
  const resolved = new Set<string>();
  const bridged = rtr.ports.some((p) => p.nb.options['redirect-type']?.toLowerCase() === 'bridged');
  for (const e of rtr.natEntries) {
    const c = checkNatEntry(ctx, rtr, e.nb);
    if (!c) continue;
    const nat = c.nb;
    const ipv = c.isV6 ? '6' : '4';
    const hint = nat._uuid;
    const snat = nat.type === 'snat' || nat.type === 'dnat_and_snat';
    const dnat = nat.type === 'dnat' || nat.type === 'dnat_and_snat';
    const dgp = c.dgp;
    // Centralised rules of a DGP router apply only on the gateway chassis.
    const resident = dgp && !c.distributed ? ` && is_chassis_resident(${crJsonKey(dgp)})` : '';
    const here = dgp ? (c.distributed ? `is_chassis_resident("${nat.logical_port}")` : `is_chassis_resident(${crJsonKey(dgp)})`) : '';
    const ethSrc = c.distributed ? `eth.src = ${c.mac}; ` : '';

    // Replies to SNATed connections are unSNATed before any DNAT.
    if (snat) {
      if (gw) f.add(LR_IN_UNSNAT, 90, `ip && ip${ipv}.dst == ${nat.external_ip}`, c.stateless ? 'next;' : 'ct_snat;', { hint });
      else if (dgp) {
        const m = `ip && ip${ipv}.dst == ${nat.external_ip} && inport == ${dgp.jsonKey}`;
        f.add(LR_IN_UNSNAT, 100, `${m} && flags.loopback == 0${resident}`, c.stateless ? 'next;' : 'ct_snat_in_czone;', { hint });
        if (!c.stateless) f.add(LR_IN_UNSNAT, 100, `${m} && flags.loopback == 1 && flags.use_snat_zone == 1${resident}`, 'ct_snat;', { hint });
      }
    }
    if (dnat) {
      if (gw) {
        // The packet may go back out of the port it came in through: flags.loopback.
        const m = extIpFilter(f, ctx, gw, c, `ip && ip${ipv}.dst == ${nat.external_ip}`, true);
        const force = dnatForceSnat ? 'flags.force_snat_for_dnat = 1; ' : '';
        const act = c.stateless ? `flags.loopback = 1; ip${ipv}.dst=${nat.logical_ip}; next;` : `flags.loopback = 1; ct_dnat(${nat.logical_ip}${portRange(nat)});`;
        f.add(LR_IN_DNAT, 100, m, force + act, { hint });
      } else if (dgp) {
        const m = extIpFilter(f, ctx, gw, c, `ip && ip${ipv}.dst == ${nat.external_ip} && inport == ${dgp.jsonKey}${resident}`, true);
        const act = c.stateless ? `ip${ipv}.dst=${nat.logical_ip}; next;` : `ct_dnat_in_czone(${nat.logical_ip}${portRange(nat)});`;
        f.add(LR_IN_DNAT, 100, m, act, { hint });
      }
    }
    if (!gw && dgp && !resolved.has(nat.external_ip)) {
      resolved.add(nat.external_ip);
      // Traffic from outside still addressed to the external IP failed DNAT/unSNAT: no loop.
      f.add(LR_IN_ARP_RESOLVE, 150, `inport == ${dgp.jsonKey} && outport == ${dgp.jsonKey} && ip${ipv}.dst == ${nat.external_ip}`, ctx.dropAction, { hint });
      // From the other ports: east-west traffic to the external IP.
      const nh = c.isV6 ? REG_NEXT_HOP_IPV6 : REG_NEXT_HOP_IPV4;
      f.add(LR_IN_ARP_RESOLVE, 100, `outport == ${dgp.jsonKey} && ${nh} == ${nat.external_ip}`, `eth.dst = ${c.distributed ? nat.external_mac : dgp.networks.eaStr}; next;`, { hint });
      if (bridged && c.distributed) {
        const get = c.isV6 ? `get_nd(outport, ${REG_NEXT_HOP_IPV6}); next;` : `get_arp(outport, ${REG_NEXT_HOP_IPV4}); next;`;
        f.add(LR_IN_ARP_RESOLVE, 90, `outport == ${rtr.l3dgwPorts[0]!.jsonKey} && ip${ipv}.src == ${nat.logical_ip} && is_chassis_resident("${nat.logical_port}")`, get, { hint });
      }
    }
    if (dgp) {
      f.add(LR_OUT_CHECK_DNAT_LOCAL, 50, `ip && ip${ipv}.dst == ${nat.external_ip} && ${here}`, `${REGBIT_DST_NAT_IP_LOCAL} = 1; next;`, { hint });
      if (dnat) {
        f.add(LR_OUT_UNDNAT, 100, `ip && ip${ipv}.src == ${nat.logical_ip} && outport == ${dgp.jsonKey}${resident}`, ethSrc + (c.stateless ? 'next;' : 'ct_dnat_in_czone;'), { hint });
      }
    }
    if (snat) {
      // The longest logical network wins.
      if (gw) {
        const m = extIpFilter(f, ctx, gw, c, `ip && ip${ipv}.src == ${nat.logical_ip}`, false);
        if (c.stateless) f.add(LR_OUT_SNAT, c.cidrBits + 1, m, `ip${ipv}.src=${nat.external_ip}; next;`, { hint });
        else f.add(LR_OUT_SNAT, c.cidrBits + 1, `${m} && (!ct.trk || !ct.rpl)`, `ct_snat(${nat.external_ip}${portRange(nat)});`, { hint });
      } else if (dgp) {
        const prio = c.cidrBits + 1 + 128;
        const m = extIpFilter(f, ctx, gw, c, `ip && ip${ipv}.src == ${nat.logical_ip} && outport == ${dgp.jsonKey} && ${here}`, false);
        f.add(LR_OUT_SNAT, prio, m, ethSrc + (c.stateless ? `ip${ipv}.src=${nat.external_ip}; next;` : `ct_snat_in_czone(${nat.external_ip}${portRange(nat)});`), { hint });
        // Traffic whose destination was DNATed here too: SNAT in the common zone.
        if (!c.stateless) {
          f.add(LR_OUT_SNAT, prio + 1, `${m} && ${REGBIT_DST_NAT_IP_LOCAL} == 1`, `${ethSrc}${REGBIT_DST_NAT_IP_LOCAL} = 0; ct_snat(${nat.external_ip}${portRange(nat)});`, { hint });
        }
      }
    }
    if (dgp && nat.type === 'snat') f.add(LR_IN_IP_INPUT, 120, `inport == ${dgp.jsonKey} && ip${ipv}.src == ${nat.external_ip}`, 'next;', { hint });
    if (dgp && c.distributed) {
      // The DGP takes packets to the rule's own MAC on the chassis of its logical port.
      const m = `eth.dst == ${c.mac} && inport == ${dgp.jsonKey} && is_chassis_resident("${nat.logical_port}")`;
      gatewayMtuFlow(f, topo, dgp, LR_IN_ADMISSION, 50, 55, m, `${REG_INPORT_ETH_ADDR} = ${dgp.networks.eaStr}; next;`, hint);
      const mtu = gatewayMtu(dgp);
      if (mtu) natFragNeeded(f, ctx, rtr, c, dgp, mtu);
      // The logical port's traffic leaves from its own chassis, with the rule's MAC and address.
      const src = `ip${ipv}.src == ${nat.logical_ip} && outport == ${dgp.jsonKey}`;
      const vp = nat.logical_port !== undefined ? topo.lspByName.get(nat.logical_port) : undefined;
      // A virtual port not claimed yet would otherwise have its traffic centralised.
      if (vp?.type === 'virtual') f.add(LR_IN_GW_REDIRECT, 80, src, ctx.dropAction, { hint });
      f.add(LR_IN_GW_REDIRECT, 100, `${src} && is_chassis_resident("${nat.logical_port}")`, `eth.src = ${nat.external_mac}; ${c.isV6 ? REG_SRC_IPV6 : REG_SRC_IPV4} = ${nat.external_ip}; next;`, { hint });
    }
    if (dgp) {
      // A packet for the external IP leaving through the DGP comes back in, NATed.
      let regs = '';
      for (let i = 0; i < 10; i++) regs += `reg${i} = 0; `;
      f.add(
        LR_OUT_EGR_LOOP,
        100,
        `ip${ipv}.dst == ${nat.external_ip} && outport == ${dgp.jsonKey} && ${here}`,
        `clone { ct_clear; inport = outport; outport = ""; eth.dst <-> eth.src; flags = 0; flags.loopback = 1; flags.use_snat_zone = ${REGBIT_DST_NAT_IP_LOCAL}; ${regs}${REGBIT_EGRESS_LOOPBACK} = 1; next(pipeline=ingress, table=0); };`,
        { hint },
      );
    }
  }
  return f.out;
}

/**
 * lrouter_nat_add_ext_ip_match(): a rule with allowed_ext_ips applies only to those external
 * addresses (the match gains `ip.src/dst == $set`); one with exempted_ext_ips gets a flow two
 * priorities above it that lets the exempted addresses through untranslated.  `toHere`: the
 * DNAT side (the external address is the source).
 */
function extIpFilter(f: FlowSink, ctx: CompileContext, gw: boolean, c: CheckedNat, match: string, toHere: boolean): string {
  const nat = c.nb;
  const dir = `ip${c.isV6 ? '6' : '4'}.${toHere ? 'src' : 'dst'}`;
  const allowed = nat.allowed_ext_ips !== undefined ? ctx.nb.Address_Set.get(nat.allowed_ext_ips) : undefined;
  if (allowed) return `${match} && ${dir} == $${allowed.name}`;
  const exempted = nat.exempted_ext_ips !== undefined ? ctx.nb.Address_Set.get(nat.exempted_ext_ips) : undefined;
  if (exempted) {
    const prio = toHere ? 102 : c.cidrBits + 3 + (gw ? 0 : 128);
    f.add(toHere ? LR_IN_DNAT : LR_OUT_SNAT, prio, `${match} && ${dir} == $${exempted.name}`, 'next;', { hint: nat._uuid });
  }
  return match;
}

/** build_lrouter_ingress_nat_check_pkt_len(): too large for the DGP's gateway_mtu, to a distributed rule's address. */
function natFragNeeded(f: FlowSink, ctx: CompileContext, rtr: Router, c: CheckedNat, dgp: RouterPort, mtu: number): void {
  const nat = c.nb;
  const m = `inport == ${dgp.jsonKey} && ${REGBIT_PKT_LARGER} && ${REGBIT_EGRESS_LOOPBACK} == 0`;
  const common = `${REGBIT_EGRESS_LOOPBACK} = 1; ${REGBIT_PKT_LARGER} = 0; eth.dst = eth.src; eth.src = ${nat.external_mac}; `;
  if (!c.isV6) {
    f.add(
      LR_IN_IP_INPUT,
      160,
      `${m} && ip4 && ip4.dst == ${nat.external_ip}`,
      `icmp4_error {${common}ip4.dst = ip4.src; ip4.src = ${nat.external_ip}; ip.ttl = 254; icmp4.type = 3; /* Destination Unreachable. */ icmp4.code = 4; /* Frag Needed and DF was Set. */ icmp4.frag_mtu = ${mtu}; outport = ${dgp.jsonKey}; flags.loopback = 1; output; };`,
      { hint: nat._uuid, meter: routerCoppMeter(ctx, rtr, 'icmp4-error') },
    );
  } else {
    f.add(
      LR_IN_IP_INPUT,
      160,
      `${m} && ip6 && ip6.dst == ${nat.external_ip}`,
      `icmp6_error {${common}ip6.dst = ip6.src; ip6.src = ${nat.external_ip}; ip.ttl = 254; icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; icmp6.frag_mtu = ${mtu}; outport = ${dgp.jsonKey}; flags.loopback = 1; output; };`,
      { hint: nat._uuid, meter: routerCoppMeter(ctx, rtr, 'icmp6-error') },
    );
  }
}

/**
 * build_lrouter_arp_nd_for_datapath(): priority 90, the router answers ARP and neighbour
 * solicitations for the external addresses of its NAT rules, on any port — every rule but
 * snat ones, then one flow per distinct SNAT address (named by its first snat rule).
 */
export function natArpNdReplies(ctx: CompileContext, rtr: Router): LFlow[] {
  const f = new FlowSink();
  for (const e of answeredNatEntries(rtr)) natArpNd(f, ctx, rtr, e, undefined, REG_INPORT_ETH_ADDR, '', false, 90);
  return f.out;
}

/**
 * build_lrouter_port_nat_arp_nd_flow(): a distributed gateway port answers for the NAT
 * addresses applied at it (priority 92) only where the rule is applied — the chassis of a
 * distributed rule's logical port, with its MAC; else the gateway chassis — and drops the
 * requests elsewhere (91), so that upstream MAC learning points at one chassis.
 */
export function dgpNatArpNdReplies(ctx: CompileContext, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  for (const e of answeredNatEntries(rtr)) {
    if (!natAppliesAt(ctx, rtr, e.nb, p)) continue;
    const nat = e.nb;
    const ownMac = nat.external_mac !== undefined && nat.logical_port !== undefined && scanMac(nat.external_mac) !== null;
    const mac = ownMac ? nat.external_mac! : REG_INPORT_ETH_ADDR;
    const where = ownMac ? `is_chassis_resident("${nat.logical_port}")` : `is_chassis_resident(${crJsonKey(p)})`;
    natArpNd(f, ctx, rtr, e, p, mac, where, false, 92);
    natArpNd(f, ctx, rtr, e, p, mac, '', true, 91);
  }
  return f.out;
}

/** The NAT entries that get ARP/ND replies: every valid one but snat, then one per distinct SNAT address (its first rule). */
function answeredNatEntries(rtr: Router): Router['natEntries'] {
  const out: Router['natEntries'][number][] = [];
  for (const e of rtr.natEntries) if (e.ext && e.nb.type !== 'snat') out.push(e);
  const snatIps = new Set<string>();
  for (const e of rtr.natEntries) {
    if (!e.ext || e.nb.type !== 'snat') continue;
    const ip = e.isV6 ? e.ext.ipv6Addrs[0]!.addrStr : e.ext.ipv4Addrs[0]!.addrStr;
    if (snatIps.has(ip)) continue;
    snatIps.add(ip);
    out.push(e);
  }
  return out;
}

/** is_nat_gateway_port(): with several DGPs, a rule belongs to its gateway_port or to the one holding its external IP. */
function natAppliesAt(ctx: CompileContext, rtr: Router, nat: NbNAT, p: RouterPort): boolean {
  if (rtr.l3dgwPorts.length <= 1) return true;
  const gw = nat.gateway_port !== undefined && ctx.nb.Logical_Router_Port.get(nat.gateway_port) ? nat.gateway_port : undefined;
  return gw === undefined ? holdsAddress(p, nat.external_ip) : gw === p.nb._uuid;
}

/** build_lrouter_arp_flow() / build_lrouter_nd_flow() for a NAT address: a reply from `mac`, or a drop. */
function natArpNd(f: FlowSink, ctx: CompileContext, rtr: Router, e: Router['natEntries'][number], p: RouterPort | undefined, mac: string, extra: string, drop: boolean, priority: number): void {
  const hint = e.nb._uuid;
  const inport = p ? `inport == ${p.jsonKey} && ` : '';
  const tail = extra ? ` && ${extra}` : '';
  if (e.isV6) {
    const a = e.ext!.ipv6Addrs[0]!;
    const m = `${inport}ip6.dst == {${a.addrStr}, ${a.snAddrStr}} && nd_ns && nd.target == ${a.addrStr}${tail}`;
    if (drop) f.add(LR_IN_IP_INPUT, priority, m, ctx.dropAction, { hint });
    else {
      const act = ndReplyActions('nd_na', mac);
      f.add(LR_IN_IP_INPUT, priority, m, act, { hint, meter: routerCoppMeter(ctx, rtr, 'nd-na') });
    }
  } else {
    const m = `${inport}arp.op == 1 && arp.tpa == ${e.ext!.ipv4Addrs[0]!.addrStr}${tail}`;
    const act = drop
      ? ctx.dropAction
      : arpReplyActions(mac);
    f.add(LR_IN_IP_INPUT, priority, m, act, { hint });
  }
}
