// Ingress tables 20-24: DHCP options/response, DNS lookup/response and
// external-port handling.  build_lswitch_dhcp_and_dns_defaults,
// build_lswitch_dns_lookup_and_response, build_lswitch_external_port and
// build_drop_arp_nd_flows_for_unbound_router_ports.  (The per-port DHCP
// option flows are in dhcp.ts.)
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import {
  LS_IN_DHCP_OPTIONS,
  LS_IN_DHCP_RESPONSE,
  LS_IN_DNS_LOOKUP,
  LS_IN_DNS_RESPONSE,
  LS_IN_EXTERNAL_PORT,
} from '../stages.js';
import type { Switch, SwitchPort } from '../topology.js';
import { coppMeter, REGBIT_DNS_LOOKUP_RESULT } from './common.js';

export function dhcpDnsDefaults(): LFlow[] {
  const f = new FlowSink();
  f.add(LS_IN_DHCP_OPTIONS, 0, '1', 'next;');
  f.add(LS_IN_DHCP_RESPONSE, 0, '1', 'next;');
  f.add(LS_IN_DNS_LOOKUP, 0, '1', 'next;');
  f.add(LS_IN_DNS_RESPONSE, 0, '1', 'next;');
  f.add(LS_IN_EXTERNAL_PORT, 0, '1', 'next;');
  return f.out;
}

/** ls_has_dns_records(): some referenced DNS row has records. */
export function switchHasDnsRecords(ctx: CompileContext, sw: Switch): boolean {
  return sw.nb.dns_records.some((u) => Object.keys(ctx.nb.DNS.get(u)?.records ?? {}).length > 0);
}

/** Priority 100: DNS queries are looked up by ovn-controller and answered in place. */
export function dnsLookupAndResponse(ctx: CompileContext, sw: Switch): LFlow[] {
  const f = new FlowSink();
  if (!switchHasDnsRecords(ctx, sw)) return f.out;
  const meter = coppMeter(ctx, sw, 'dns');
  f.add(
    LS_IN_DNS_LOOKUP,
    100,
    'udp.dst == 53',
    `${REGBIT_DNS_LOOKUP_RESULT} = dns_lookup(); next;`,
    meter !== undefined ? { meter } : {},
  );
  const m = `udp.dst == 53 && ${REGBIT_DNS_LOOKUP_RESULT}`;
  const tail = 'udp.dst = udp.src; udp.src = 53; outport = inport; flags.loopback = 1; output;';
  f.add(LS_IN_DNS_RESPONSE, 100, m, `eth.dst <-> eth.src; ip4.src <-> ip4.dst; ${tail}`);
  f.add(LS_IN_DNS_RESPONSE, 100, m, `eth.dst <-> eth.src; ip6.src <-> ip6.dst; ${tail}`);
  return f.out;
}

/**
 * Priority 100: for an external port, ARP/NS for the router IPs and
 * traffic to router MACs arriving through a localnet port are dropped on
 * chassis that do not bind the external port.
 */
export function externalPortFlows(ctx: CompileContext, sw: Switch, op: SwitchPort): LFlow[] {
  const f = new FlowSink();
  if (op.type !== 'external') return f.out;
  for (const ln of sw.localnetPorts) {
    const opts = { hint: op.nb._uuid, ioPort: ln.name };
    for (const a of op.lspAddrs) {
      for (const rp of sw.routerPorts) {
        for (const ra of rp.lspAddrs) {
          const base = `inport == ${ln.jsonKey} && eth.src == ${a.eaStr} && !is_chassis_resident(${op.jsonKey})`;
          for (const ip of ra.ipv4Addrs) {
            f.add(LS_IN_EXTERNAL_PORT, 100, `${base} && arp.tpa == ${ip.addrStr} && arp.op == 1`, ctx.dropAction, opts);
          }
          for (const ip of ra.ipv6Addrs) {
            f.add(
              LS_IN_EXTERNAL_PORT,
              100,
              `${base} && nd_ns && ip6.dst == {${ip.addrStr}, ${ip.snAddrStr}} && nd.target == ${ip.addrStr}`,
              ctx.dropAction,
              opts,
            );
          }
          f.add(
            LS_IN_EXTERNAL_PORT,
            100,
            `inport == ${ln.jsonKey} && eth.src == ${a.eaStr} && eth.dst == ${ra.eaStr} && !is_chassis_resident(${op.jsonKey})`,
            ctx.dropAction,
            opts,
          );
        }
      }
    }
  }
  return f.out;
}
