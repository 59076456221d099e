// Port_Binding.nat_addresses for a router-type LSP with
// options:nat-addresses=router: the addresses its peer router port answers
// for (centralized NAT external IPs and load-balancer VIPs, plus distributed
// dnat_and_snat entries with their own MAC), so ovn-controller sends GARPs.
import type { CompileContext } from './context.js';
import type { Router, RouterPort } from './topology.js';
import { jsonKey } from './topology.js';
import { ssetOrder, sortedUuids } from './hmap.js';
import { formatMac, scanMac } from '../model/mac.js';
import { inetPton4, ipParseMasked } from '../model/ip.js';

/** find_lrp_member_ip: is `ip` inside one of the port's IPv4 networks? */
function isMemberIp(op: RouterPort, ip: string): boolean {
  const v = inetPton4(ip);
  if (v === undefined) return false;
  return op.networks.ipv4Addrs.some((a) => ((v ^ a.addr) & a.mask) === 0);
}

/** is_nat_gateway_port: with several distributed gateway ports, a NAT belongs to one. */
function isNatGatewayPort(rtr: Router, op: RouterPort, gatewayPort: string | undefined, externalIp: string): boolean {
  if (rtr.l3dgwPorts.length <= 1) return true;
  if (gatewayPort === undefined) return isMemberIp(op, externalIp);
  return gatewayPort === op.nb._uuid;
}

export function routerNatAddresses(ctx: CompileContext, rtr: Router, op: RouterPort, includeLbIps: boolean): string[] {
  // The full VIP list is not part of the Router object (a VIP no port holds leaves it as it
  // was); the bindings that read it have it among their inputs (bindings.ts).
  const lbIps = includeLbIps ? ctx.memo.routerLbIps.get(rtr.nb) : undefined;
  const hasLbVip = lbIps !== undefined && (lbIps.v4.length > 0 || lbIps.v6.length > 0);
  if (!rtr.nb.nat.length && !hasLbVip) return [];
  const mac = scanMac(op.nb.mac);
  if (!mac) return [];
  const out: string[] = [];
  let central = formatMac(mac.mac);
  let hasCentral = false;
  for (const uuid of sortedUuids(rtr.nb.nat)) {
    const nat = ctx.nb.NAT.get(uuid);
    if (!nat) continue;
    const parsed = ipParseMasked(nat.external_ip);
    if (!parsed.ok || parsed.value.mask !== 0xffffffff) continue;
    if (!isNatGatewayPort(rtr, op, nat.gateway_port, nat.external_ip)) continue;
    if (rtr.l3dgwPorts.length && nat.type === 'dnat_and_snat' && nat.logical_port && nat.external_mac) {
      const emac = scanMac(nat.external_mac);
      if (emac) out.push(`${formatMac(emac.mac)} ${nat.external_ip} is_chassis_resident("${nat.logical_port}")`);
      continue;
    }
    const isRouterIp =
      op.networks.ipv4Addrs.some((a) => a.addrStr === nat.external_ip) ||
      op.networks.ipv6Addrs.some((a) => a.addrStr === nat.external_ip);
    if (!isRouterIp) {
      central += ` ${nat.external_ip}`;
      hasCentral = true;
    }
  }
  if (lbIps) {
    for (const ip of [...ssetOrder(lbIps.v4), ...ssetOrder(lbIps.v6)]) {
      central += ` ${ip}`;
      hasCentral = true;
    }
  }
  if (hasCentral) {
    if (op.crName !== undefined) central += ` is_chassis_resident(${jsonKey(op.crName)})`;
    out.push(central);
  }
  return out;
}
