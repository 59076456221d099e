// Router ingress table 0, L2 admission control (man ovn-northd, "Ingress
// Table 0: L2 Admission Control"; northd.c build_adm_ctrl_flows_for_lrouter
// and _port): VLAN-tagged and multicast-source frames are dropped; a frame
// is admitted on an enabled port when it is multicast or addressed to the
// port's MAC (on a distributed gateway port: only on its gateway chassis),
// and the port's MAC is kept in xreg0[0..47] for the later stages.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LR_IN_ADMISSION, type Stage } from '../stages.js';
import type { RouterPort, Topology } from '../topology.js';
import { crJsonKey, gatewayL2HdrSize, gatewayMtu, l3dgwIsCentralized, REG_INPORT_ETH_ADDR, REGBIT_PKT_LARGER } from './common.js';

export function admissionDefaults(ctx: CompileContext): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_ADMISSION, 100, 'vlan.present || eth.src[40]', ctx.dropAction);
  f.add(LR_IN_ADMISSION, 0, '1', ctx.dropAction);
  return f.out;
}

/**
 * build_gateway_mtu_flow(): `actions` preceded by the packet-length check when the
 * port has a gateway_mtu, and the same flow without it at `prioHigh` for traffic
 * matching options:gateway_mtu_bypass.  `hint`: the row the flows are for (the port's by default).
 */
export function gatewayMtuFlow(f: FlowSink, topo: Topology, p: RouterPort, stage: Stage, prioLow: number, prioHigh: number, match: string, actions: string, hint: string = p.nb._uuid): void {
  const mtu = gatewayMtu(p);
  const check = mtu > 0 ? `${REGBIT_PKT_LARGER} = check_pkt_larger(${mtu + gatewayL2HdrSize(topo, p)}); ` : '';
  f.add(stage, prioLow, match, check + actions, { hint });
  const bypass = p.nb.options['gateway_mtu_bypass'];
  if (mtu > 0 && bypass !== undefined) f.add(stage, prioHigh, `${match} && (${bypass})`, actions, { hint });
}

export function admissionForPort(topo: Topology, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  if (!p.enabled) return f.out;
  const set = `${REG_INPORT_ETH_ADDR} = ${p.networks.eaStr}; next;`;
  gatewayMtuFlow(f, topo, p, LR_IN_ADMISSION, 50, 55, `eth.mcast && inport == ${p.jsonKey}`, set);
  const centralized = l3dgwIsCentralized(topo, p) ? ` && is_chassis_resident(${crJsonKey(p)})` : '';
  gatewayMtuFlow(f, topo, p, LR_IN_ADMISSION, 50, 55, `eth.dst == ${p.networks.eaStr} && inport == ${p.jsonKey}${centralized}`, set);
  return f.out;
}
