// Ingress table 19 (ls_in_arp_rsp): ARP/ND responder.
// build_lswitch_arp_nd_responder_skip_local, _known_ips, _default and
// build_lswitch_arp_nd_service_monitor.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { extractIpAddresses } from '../../model/lsp-addresses.js';
import { formatIpv6, in6SolicitedNode, inetPton4, inetPton6 } from '../../model/ip.js';
import { LS_IN_ARP_ND_RSP } from '../stages.js';
import type { Switch, SwitchPort, Topology } from '../topology.js';
import { coppMeter } from './common.js';

/** Priority 0: everything else goes on. */
export function arpNdResponderDefault(): LFlow[] {
  const f = new FlowSink();
  f.add(LS_IN_ARP_ND_RSP, 0, '1', 'next;');
  return f.out;
}

/** Priority 100: requests arriving from a localnet port are never answered here. */
export function arpNdSkipLocalnet(op: SwitchPort): LFlow[] {
  const f = new FlowSink();
  if (op.type === 'localnet') {
    f.add(LS_IN_ARP_ND_RSP, 100, `inport == ${op.jsonKey}`, 'next;', { hint: op.nb._uuid, ioPort: op.name });
  }
  return f.out;
}

function arpReply(mac: string, ip: string): string {
  return (
    'eth.dst = eth.src; ' +
    `eth.src = ${mac}; ` +
    'arp.op = 2; /* ARP reply */ ' +
    'arp.tha = arp.sha; ' +
    `arp.sha = ${mac}; ` +
    'arp.tpa = arp.spa; ' +
    `arp.spa = ${ip}; ` +
    'outport = inport; ' +
    'flags.loopback = 1; ' +
    'output;'
  );
}

/** Virtual ports: GARPs/replies/NS/NA from a virtual parent for the virtual IP bind it. */
function virtualPortBinding(topo: Topology, sw: Switch, op: SwitchPort): LFlow[] {
  const f = new FlowSink();
  const vip = op.nb.options['virtual-ip'];
  const parents = op.nb.options['virtual-parents'];
  if (vip === undefined || parents === undefined) return f.out;
  const isV4 = vip.includes('.');
  let snAddr = '';
  if (isV4) {
    if (inetPton4(vip) === undefined) return f.out;
  } else {
    const v6 = inetPton6(vip);
    if (v6 === undefined) return f.out;
    snAddr = formatIpv6(in6SolicitedNode(v6));
  }
  for (const vparent of parents.split(',').filter((s) => s.length > 0)) {
    const vp = topo.portByName.get(vparent);
    if (!vp || vp.kind !== 'lsp' || vp.switchUuid !== sw.uuid) continue;
    const match = isV4
      ? `inport == "${vparent}" && ((arp.op == 1 && arp.spa == ${vip} && arp.tpa == ${vip}) || (arp.op == 2 && arp.spa == ${vip}))`
      : `inport == "${vparent}" && ((nd_ns && ip6.dst == {${vip}, ${snAddr}} && nd.target == ${vip}) ||(nd_na && nd.target == ${vip}))`;
    f.add(LS_IN_ARP_ND_RSP, 100, match, `bind_vport(${op.jsonKey}, inport); next;`, {
      hint: vp.nb._uuid,
      ioPort: vparent,
    });
  }
  return f.out;
}

/**
 * Priority 50: answer ARP requests and neighbour solicitations for the
 * port's own addresses (when it is up, a router port or a localport, has
 * no "unknown" address and is not external); priority 100: but not when
 * the request comes from the owner itself.  Router-type ports also answer
 * for their options:arp_proxy addresses with the router's MAC.
 */
export function arpNdKnownIps(ctx: CompileContext, topo: Topology, sw: Switch, op: SwitchPort): LFlow[] {
  if (op.type === 'virtual') return virtualPortBinding(topo, sw, op);
  const f = new FlowSink();
  const hint = op.nb._uuid;
  const answers =
    !(topo.checkLspIsUp && !op.up && op.type !== 'router' && op.type !== 'localport') &&
    op.type !== 'external' &&
    !op.hasUnknown &&
    !sw.vlanPassthru;
  if (answers) {
    const naMeter = coppMeter(ctx, sw, 'nd-na');
    for (const a of op.lspAddrs) {
      for (const ip of a.ipv4Addrs) {
        const m = `arp.tpa == ${ip.addrStr} && arp.op == 1`;
        f.add(LS_IN_ARP_ND_RSP, 50, m, arpReply(a.eaStr, ip.addrStr), { hint });
        f.add(LS_IN_ARP_ND_RSP, 100, `${m} && inport == ${op.jsonKey}`, 'next;', { hint, ioPort: op.name });
      }
      for (const ip of a.ipv6Addrs) {
        const m = `nd_ns && ip6.dst == {${ip.addrStr}, ${ip.snAddrStr}} && nd.target == ${ip.addrStr}`;
        const act =
          `${op.type === 'router' ? 'nd_na_router' : 'nd_na'} { ` +
          `eth.src = ${a.eaStr}; ` +
          `ip6.src = ${ip.addrStr}; ` +
          `nd.target = ${ip.addrStr}; ` +
          `nd.tll = ${a.eaStr}; ` +
          'outport = inport; ' +
          'flags.loopback = 1; ' +
          'output; ' +
          '};';
        f.add(LS_IN_ARP_ND_RSP, 50, m, act, naMeter !== undefined ? { hint, meter: naMeter } : { hint });
        f.add(LS_IN_ARP_ND_RSP, 100, `${m} && inport == ${op.jsonKey}`, 'next;', { hint, ioPort: op.name });
      }
    }
  }
  if (op.peer) {
    const proxy = op.nb.options['arp_proxy'];
    const parsed = proxy !== undefined ? extractIpAddresses(proxy) : undefined;
    if (parsed?.ok && parsed.value.ipv4Addrs.length) {
      const m = `arp.op == 1 && arp.tpa == {${parsed.value.ipv4Addrs.map((i) => i.addrStr).join(',')}}`;
      const mac = op.peer.networks.eaStr;
      const act =
        'eth.dst = eth.src; ' +
        `eth.src = ${mac}; ` +
        'arp.op = 2; /* ARP reply */ ' +
        'arp.tha = arp.sha; ' +
        `arp.sha = ${mac}; ` +
        'arp.tpa <-> arp.spa; ' +
        'outport = inport; ' +
        'flags.loopback = 1; ' +
        'output;';
      f.add(LS_IN_ARP_ND_RSP, 50, m, act, { hint });
    }
  }
  return f.out;
}

/** A load-balancer backend that has a health check with a source IP on a switch port. */
export interface MonitoredBackend {
  /** NB Load_Balancer UUID (stage hint). */
  readonly lbUuid: string;
  readonly vipIsV4: boolean;
  readonly svcMonSrcIp: string;
}

/**
 * Priority 110: answer ARP/NS for the service monitor's source IP with the
 * service monitor MAC, on the switch of each monitored backend.
 */
export function arpNdServiceMonitor(svcMonitorMac: string, backends: readonly MonitoredBackend[]): LFlow[] {
  const f = new FlowSink();
  for (const b of backends) {
    const ip = b.svcMonSrcIp;
    if (b.vipIsV4) {
      f.add(LS_IN_ARP_ND_RSP, 110, `arp.tpa == ${ip} && arp.op == 1`, arpReply(svcMonitorMac, ip), { hint: b.lbUuid });
    } else {
      const act =
        'nd_na { ' +
        'eth.dst = eth.src; ' +
        `eth.src = ${svcMonitorMac}; ` +
        `ip6.src = ${ip}; ` +
        `nd.target = ${ip}; ` +
        `nd.tll = ${svcMonitorMac}; ` +
        'outport = inport; ' +
        'flags.loopback = 1; ' +
        'output; ' +
        '};';
      f.add(LS_IN_ARP_ND_RSP, 110, `nd_ns && nd.target == ${ip}`, act, { hint: b.lbUuid });
    }
  }
  return f.out;
}

