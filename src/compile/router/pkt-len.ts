// Router ingress tables 18 and 19, packet length check and larger packets
// (man ovn-northd, "Ingress Table 18: Check packet length" and "Ingress
// Table 19: Handle larger packets"; northd.c
// build_check_pkt_len_flows_for_lrouter and _for_lrp): a packet routed to a
// port with options:gateway_mtu records whether it exceeds that MTU; one that
// does is answered with an ICMP "fragmentation needed" / "packet too big"
// from the port it came in on.  The same ICMP answer for a packet that
// arrives too big on such a port lives in table 3 (IP input), priority 150.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LR_IN_ADMISSION, LR_IN_CHK_PKT_LEN, LR_IN_IP_INPUT, LR_IN_LARGER_PKTS, type Stage } from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { gatewayMtuFlow } from './admission.js';
import { gatewayMtu, REGBIT_EGRESS_LOOPBACK, REGBIT_PKT_LARGER, routerCoppMeter } from './common.js';


/**
 * build_icmperr_pkt_big_flows(): a too-big packet that came in on `inPort`
 * (and, in table 19, is routed to `outPort`) gets an ICMP error sourced from
 * inPort's first address, reporting `mtu`.
 */
function icmpTooBigFlows(f: FlowSink, ctx: CompileContext, rtr: Router, inPort: RouterPort, mtu: number, stage: Stage, outPort?: RouterPort): void {
  const out = outPort ? `outport == ${outPort.jsonKey} && ` : '';
  const tail = `${REGBIT_PKT_LARGER} && ${REGBIT_EGRESS_LOOPBACK} == 0`;
  const back = `next(pipeline=ingress, table=${LR_IN_ADMISSION.table}); };`;
  const mac = inPort.networks.eaStr;
  const v4 = inPort.networks.ipv4Addrs[0];
  if (v4) {
    f.add(
      stage,
      150,
      `inport == ${inPort.jsonKey} && ${out}ip4 && ${tail}`,
      `icmp4_error {${REGBIT_EGRESS_LOOPBACK} = 1; ${REGBIT_PKT_LARGER} = 0; eth.dst = ${mac}; ip4.dst = ip4.src; ip4.src = ${v4.addrStr}; ` +
        'ip.ttl = 255; icmp4.type = 3; /* Destination Unreachable. */ icmp4.code = 4; /* Frag Needed and DF was Set. */ ' +
        `icmp4.frag_mtu = ${mtu}; ${back}`,
      { hint: inPort.nb._uuid, meter: routerCoppMeter(ctx, rtr, 'icmp4-error') },
    );
  }
  const v6 = inPort.networks.ipv6Addrs[0];
  if (v6) {
    f.add(
      stage,
      150,
      `inport == ${inPort.jsonKey} && ${out}ip6 && ${tail}`,
      `icmp6_error {${REGBIT_EGRESS_LOOPBACK} = 1; ${REGBIT_PKT_LARGER} = 0; eth.dst = ${mac}; ip6.dst = ip6.src; ip6.src = ${v6.addrStr}; ` +
        'ip.ttl = 255; icmp6.type = 2; /* Packet Too Big. */ icmp6.code = 0; ' +
        `icmp6.frag_mtu = ${mtu}; ${back}`,
      { hint: inPort.nb._uuid, meter: routerCoppMeter(ctx, rtr, 'icmp6-error') },
    );
  }
}

/** A port with a gateway MTU: the length check on the way out, the ICMP answers both ways. */
function gatewayMtuPortFlows(f: FlowSink, ctx: CompileContext, topo: Topology, rtr: Router, p: RouterPort): void {
  const mtu = gatewayMtu(p);
  if (mtu <= 0) return;
  gatewayMtuFlow(f, topo, p, LR_IN_CHK_PKT_LEN, 50, 55, `outport == ${p.jsonKey}`, 'next;');
  // Too big on the way in (admission checked the length).
  icmpTooBigFlows(f, ctx, rtr, p, mtu, LR_IN_IP_INPUT);
  // Too big on the way out through p, answered from the port it came in on.
  for (const other of rtr.ports) if (other !== p) icmpTooBigFlows(f, ctx, rtr, other, mtu, LR_IN_LARGER_PKTS, p);
}

export function checkPktLen(ctx: CompileContext, topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_CHK_PKT_LEN, 0, '1', 'next;');
  f.add(LR_IN_LARGER_PKTS, 0, '1', 'next;');
  for (const p of rtr.ports) gatewayMtuPortFlows(f, ctx, topo, rtr, p);
  return f.out;
}
