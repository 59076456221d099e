// Router ingress tables 1-2 (man ovn-northd, "Ingress Table 1: Neighbor
// lookup" and "Ingress Table 2: Neighbor learning"; northd.c
// build_neigh_learning_flows_for_lrouter and _port): ARP and ND packets look
// up their sender in the MAC bindings (reg9[2]: already known; reg9[3]: the
// IP is worth learning when always_learn_from_arp_request=false), and table 2
// learns with put_arp/put_nd what table 1 did not find.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LR_IN_LEARN_NEIGHBOR, LR_IN_LOOKUP_NEIGHBOR } from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { smapGetBool } from '../../model/smap.js';
import { crJsonKey, isL3dgwPort, REGBIT_LOOKUP_NEIGHBOR_IP_RESULT as IP_RESULT, REGBIT_LOOKUP_NEIGHBOR_RESULT as RESULT, routerCoppMeter } from './common.js';

/** Control-plane protocols a router's Copp row can meter (lib/copp.c names). */
/** options:always_learn_from_arp_request (default true): learn from every ARP request. */
function learnFromArpRequest(rtr: Router): boolean {
  return smapGetBool(rtr.nb.options, 'always_learn_from_arp_request', true);
}

export function neighborLearningDefaults(ctx: CompileContext, _topo: Topology, rtr: Router): LFlow[] {
  const f = new FlowSink();
  const always = learnFromArpRequest(rtr);
  // Without always-learn, replies and NAs are learned only for IPs already known (reg9[3] = 1 here,
  // the per-port flows decide for requests).
  const replyIpBit = always ? '' : `${IP_RESULT} = 1; `;
  f.add(LR_IN_LOOKUP_NEIGHBOR, 100, 'arp.op == 2', `${RESULT} = lookup_arp(inport, arp.spa, arp.sha); ${replyIpBit}next;`);
  f.add(LR_IN_LOOKUP_NEIGHBOR, 100, 'nd_na', `${RESULT} = lookup_nd(inport, nd.target, nd.tll); ${replyIpBit}next;`);
  if (!always) {
    // Unsolicited link-local NAs (GARPs) to a multicast address: learn only when the IP is known.
    f.add(
      LR_IN_LOOKUP_NEIGHBOR,
      110,
      'nd_na && ip6.src == fe80::/10 && ip6.dst == ff00::/8',
      `${RESULT} = lookup_nd(inport, ip6.src, nd.tll); ${IP_RESULT} = lookup_nd_ip(inport, ip6.src); next;`,
    );
  }
  const nsIpBit = always ? '' : `${IP_RESULT} = lookup_nd_ip(inport, ip6.src); `;
  f.add(LR_IN_LOOKUP_NEIGHBOR, 100, 'nd_ns', `${RESULT} = lookup_nd(inport, ip6.src, nd.sll); ${nsIpBit}next;`);
  // Nothing to learn from other packets.
  f.add(LR_IN_LOOKUP_NEIGHBOR, 0, '1', `${RESULT} = 1; next;`);

  f.add(LR_IN_LEARN_NEIGHBOR, 100, `${RESULT} == 1${always ? '' : ` || ${IP_RESULT} == 0`}`, 'next;');
  f.add(LR_IN_LEARN_NEIGHBOR, 90, 'arp', 'put_arp(inport, arp.spa, arp.sha); next;', { meter: routerCoppMeter(ctx, rtr, 'arp') });
  f.add(LR_IN_LEARN_NEIGHBOR, 95, 'nd_ns && (ip6.src == 0 || nd.sll == 0)', 'next;');
  const ndNa = routerCoppMeter(ctx, rtr, 'nd-na');
  f.add(LR_IN_LEARN_NEIGHBOR, 95, 'nd_na && nd.tll == 0', 'put_nd(inport, nd.target, eth.src); next;', { meter: ndNa });
  f.add(LR_IN_LEARN_NEIGHBOR, 90, 'nd_na', 'put_nd(inport, nd.target, nd.tll); next;', { meter: ndNa });
  f.add(LR_IN_LEARN_NEIGHBOR, 90, 'nd_ns', 'put_nd(inport, ip6.src, nd.sll); next;', { meter: routerCoppMeter(ctx, rtr, 'nd-ns') });
  f.add(LR_IN_LEARN_NEIGHBOR, 0, '1', ctx.dropAction);
  return f.out;
}

/**
 * ARP requests from a port's own subnets are looked up (and so learned); on a
 * distributed gateway port only on its gateway chassis.
 */
export function neighborLearningForPort(_ctx: CompileContext, _topo: Topology, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  const always = learnFromArpRequest(rtr);
  const resident = isL3dgwPort(p) ? ` && is_chassis_resident(${crJsonKey(p)})` : '';
  for (const a of p.networks.ipv4Addrs) {
    const fromSubnet = `inport == ${p.jsonKey} && arp.spa == ${a.networkStr}/${a.plen}`;
    if (!always) {
      // A request to the port's own address is always worth learning.
      f.add(
        LR_IN_LOOKUP_NEIGHBOR,
        110,
        `${fromSubnet} && arp.tpa == ${a.addrStr} && arp.op == 1${resident}`,
        `${RESULT} = lookup_arp(inport, arp.spa, arp.sha); ${IP_RESULT} = 1; next;`,
        { hint: p.nb._uuid },
      );
    }
    const ipBit = always ? '' : `${IP_RESULT} = lookup_arp_ip(inport, arp.spa); `;
    f.add(LR_IN_LOOKUP_NEIGHBOR, 100, `${fromSubnet} && arp.op == 1${resident}`, `${RESULT} = lookup_arp(inport, arp.spa, arp.sha); ${ipBit}next;`, {
      hint: p.nb._uuid,
    });
  }
  return f.out;
}
