// Ingress tables 20-21, priority 100: OVN's native DHCP (build_lswitch_dhcp_options_and_response,
// build_dhcpv4/6_options_flows, build_dhcpv4/6_action).  A port with dhcpv4_options (dhcpv6_options)
// whose first address inside the options' cidr gets put_dhcp_opts (put_dhcpv6_opts) for its
// DISCOVER/REQUEST (SOLICIT/REQUEST...) and the reply sent back from the server MAC/IP.  An
// external port gets them through each localnet port, on the chassis that binds it only.
// Options are written in key order (smap_sort), values as the CMS wrote them.
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import type { NbDHCPOptions } from '../../model/nb.js';
import { formatIpv4, formatIpv6, in6GenerateLla, ipParseMasked, ipv6ParseMasked, type Ipv4, type Ipv6 } from '../../model/ip.js';
import { scanMac } from '../../model/mac.js';
import type { LportAddresses } from '../../model/lsp-addresses.js';
import { LS_IN_DHCP_OPTIONS, LS_IN_DHCP_RESPONSE } from '../stages.js';
import type { Switch, SwitchPort } from '../topology.js';
import { coppMeter } from './common.js';

/** REGBIT_DHCP_OPTS_RESULT: put_dhcp_opts/put_dhcpv6_opts succeeded. */
const REGBIT_DHCP_OPTS_RESULT = 'reg0[3]';

const byKey = (o: Readonly<Record<string, string>>): [string, string][] => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

interface Dhcp4Action {
  readonly options: string;
  readonly response: string;
  readonly renewMatch: string;
}

/** build_dhcpv4_action(): undefined when the offer is outside the cidr or options are missing. */
function dhcpv4Action(ctx: CompileContext, op: SwitchPort, row: NbDHCPOptions, offer: Ipv4): Dhcp4Action | undefined {
  const cidr = ipParseMasked(row.cidr);
  if (!cidr.ok || ((offer ^ cidr.value.ip) & cidr.value.mask) !== 0) return undefined;
  const o = row.options;
  const serverIp = o['server_id'];
  const serverMac = o['server_mac'];
  const leaseTime = o['lease_time'];
  if (serverIp === undefined || serverMac === undefined || leaseTime === undefined) {
    ctx.warn('dhcpv4-required-options', `Required DHCPv4 options not defined for lport - ${op.jsonKey}`);
    return undefined;
  }
  const opts: Record<string, string> = { ...o, netmask: formatIpv4(cidr.value.mask) };
  delete opts['server_mac'];
  // Logical_Switch_Port options:hostname takes precedence over the DHCP_Options one.
  const hostname = op.nb.options['hostname'];
  if (hostname !== undefined) opts['hostname'] = hostname;
  const list = byKey(opts).map(([k, v]) => `${k} = ${v}`);
  return {
    options: `${REGBIT_DHCP_OPTS_RESULT} = put_dhcp_opts(offerip = ${formatIpv4(offer)}, ${list.join(', ')}); next;`,
    response: `eth.dst = eth.src; eth.src = ${serverMac}; ip4.src = ${serverIp}; udp.src = 67; udp.dst = 68; outport = inport; flags.loopback = 1; output;`,
    renewMatch: `ip4.src == ${formatIpv4(offer)} && ip4.dst == {${serverIp}, 255.255.255.255}`,
  };
}

/** build_dhcpv6_action(). */
function dhcpv6Action(ctx: CompileContext, op: SwitchPort, row: NbDHCPOptions, offer: Ipv6): { options: string; response: string } | undefined {
  const cidr = ipv6ParseMasked(row.cidr);
  if (!cidr.ok || ((offer ^ cidr.value.ip) & cidr.value.mask) !== 0n) return undefined;
  const o = row.options;
  const serverMac = o['server_id'];
  const mac = serverMac === undefined ? null : scanMac(serverMac);
  if (serverMac === undefined || !mac) {
    ctx.warn('dhcpv6-server-id', `server_id not present in the DHCPv6 options for lport ${op.jsonKey}`);
    return undefined;
  }
  const list: string[] = [];
  // Stateful (the default): the address itself is offered.
  if (!(o['dhcpv6_stateless'] === 'true')) list.push(`ia_addr = ${formatIpv6(offer)}`);
  for (const [k, v] of byKey(o)) if (k !== 'dhcpv6_stateless') list.push(`${k} = ${v}`);
  return {
    options: `${REGBIT_DHCP_OPTS_RESULT} = put_dhcpv6_opts(${list.join(', ')}); next;`,
    response: `eth.dst = eth.src; eth.src = ${serverMac}; ip6.dst = ip6.src; ip6.src = ${formatIpv6(in6GenerateLla(mac.mac))}; udp.src = 547; udp.dst = 546; outport = inport; flags.loopback = 1; output;`,
  };
}

function dhcpv4Flows(ctx: CompileContext, f: FlowSink, sw: Switch, op: SwitchPort, row: NbDHCPOptions, addrs: LportAddresses, inport: { name: string; jsonKey: string }, external: boolean): void {
  const resident = external ? ` && is_chassis_resident(${op.jsonKey})` : '';
  const meter = coppMeter(ctx, sw, 'dhcpv4-opts');
  for (const a of addrs.ipv4Addrs) {
    const act = dhcpv4Action(ctx, op, row, a.addr);
    if (!act) continue;
    const head = `inport == ${inport.jsonKey} && eth.src == ${addrs.eaStr}`;
    const opts = { hint: row._uuid, ioPort: inport.name, meter };
    f.add(LS_IN_DHCP_OPTIONS, 100, `${head} && ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255 && udp.src == 68 && udp.dst == 67${resident}`, act.options, opts);
    // Renewals: unicast to the server or broadcast, from the offered address.
    f.add(LS_IN_DHCP_OPTIONS, 100, `${head} && ${act.renewMatch} && udp.src == 68 && udp.dst == 67${resident}`, act.options, opts);
    f.add(LS_IN_DHCP_RESPONSE, 100, `${head} && ip4 && udp.src == 68 && udp.dst == 67 && ${REGBIT_DHCP_OPTS_RESULT}${resident}`, act.response, { hint: row._uuid, ioPort: inport.name });
    return;
  }
}

function dhcpv6Flows(ctx: CompileContext, f: FlowSink, sw: Switch, op: SwitchPort, row: NbDHCPOptions, addrs: LportAddresses, inport: { name: string; jsonKey: string }, external: boolean): void {
  const resident = external ? ` && is_chassis_resident(${op.jsonKey})` : '';
  for (const a of addrs.ipv6Addrs) {
    const act = dhcpv6Action(ctx, op, row, a.addr);
    if (!act) continue;
    const m = `inport == ${inport.jsonKey} && eth.src == ${addrs.eaStr} && ip6.dst == ff02::1:2 && udp.src == 546 && udp.dst == 547${resident}`;
    f.add(LS_IN_DHCP_OPTIONS, 100, m, act.options, { hint: row._uuid, ioPort: inport.name, meter: coppMeter(ctx, sw, 'dhcpv6-opts') });
    f.add(LS_IN_DHCP_RESPONSE, 100, `${m} && ${REGBIT_DHCP_OPTS_RESULT}`, act.response, { hint: row._uuid, ioPort: inport.name });
    return;
  }
}

/** build_lswitch_dhcp_options_and_response() for one port. */
export function dhcpOptionsAndResponse(ctx: CompileContext, sw: Switch, op: SwitchPort): LFlow[] {
  const f = new FlowSink();
  if (!op.enabled || op.type === 'router') return f.out;
  const v4 = op.nb.dhcpv4_options === undefined ? undefined : ctx.nb.DHCP_Options.get(op.nb.dhcpv4_options);
  const v6 = op.nb.dhcpv6_options === undefined ? undefined : ctx.nb.DHCP_Options.get(op.nb.dhcpv6_options);
  if (!v4 && !v6) return f.out;
  const external = op.type === 'external';
  // An external port is served through the localnet ports, and only with an HA chassis group.
  if (external && (!sw.localnetPorts.length || op.nb.ha_chassis_group === undefined)) return f.out;
  const inports = external ? sw.localnetPorts : [op];
  for (const addrs of op.lspAddrs) {
    for (const inport of inports) {
      if (v4) dhcpv4Flows(ctx, f, sw, op, v4, addrs, inport, external);
      if (v6) dhcpv6Flows(ctx, f, sw, op, v6, addrs, inport, external);
    }
  }
  return f.out;
}
