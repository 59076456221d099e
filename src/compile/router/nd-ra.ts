// Router ingress tables 10-11 (man ovn-northd, "Ingress Table 10: IPv6 ND RA
// option processing" and "Ingress Table 11: IPv6 ND RA responder"; northd.c
// build_ND_RA_flows_for_lrouter and _port): a router solicitation arriving on
// a port with ipv6_ra_configs:address_mode gets put_nd_ra_opts() with the
// port's prefixes, and the resulting advertisement is sent back out of it.
// (Copying the RA settings to the SB Port_Binding is done elsewhere.)
import type { CompileContext } from '../context.js';
import { FlowSink, type LFlow } from '../lflow.js';
import { LR_IN_ND_RA_OPTIONS, LR_IN_ND_RA_RESPONSE } from '../stages.js';
import type { Router, RouterPort, Topology } from '../topology.js';
import { formatIpv6, in6GenerateLla, in6IsLla } from '../../model/ip.js';
import { REGBIT_ND_RA_OPTS_RESULT } from './common.js';
import { routerCoppMeter } from './common.js';

const ADDRESS_MODES = new Set(['slaac', 'dhcpv6_stateful', 'dhcpv6_stateless']);
/** RFC 2460: the smallest IPv6 MTU; a smaller configured mtu is not advertised. */
const IPV6_MIN_MTU = 1280;

export function ndRaDefaults(_ctx: CompileContext, _rtr: Router): LFlow[] {
  const f = new FlowSink();
  f.add(LR_IN_ND_RA_OPTIONS, 0, '1', 'next;');
  f.add(LR_IN_ND_RA_RESPONSE, 0, '1', 'next;');
  return f.out;
}

/** atoi(): the leading decimal number of `s` (0 when there is none). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return n > 2147483647 || n < -2147483648 ? -1 : n;
}

/** The put_nd_ra_opts() arguments after the prefixes' place, in the reference's order. */
function raOptions(p: RouterPort, mode: string): string {
  const cfg = p.nb.ipv6_ra_configs;
  let opts = `addr_mode = "${mode}", slla = ${p.networks.eaStr}`;
  const mtu = cfg['mtu'] !== undefined ? atoi(cfg['mtu']) : 0;
  if (mtu >= IPV6_MIN_MTU) opts += `, mtu = ${mtu}`;
  const prf = cfg['router_preference'] ?? 'MEDIUM';
  if (prf !== 'MEDIUM') opts += `, router_preference = "${prf}"`;
  if (cfg['rdnss'] !== undefined) opts += `, rdnss = ${cfg['rdnss']}`;
  if (cfg['dnssl'] !== undefined) opts += `, dnssl = "${cfg['dnssl']}"`;
  if (cfg['route_info'] !== undefined) opts += `, route_info = "${cfg['route_info']}"`;
  return opts;
}

export function ndRaForPort(ctx: CompileContext, _topo: Topology, rtr: Router, p: RouterPort): LFlow[] {
  const f = new FlowSink();
  // Only ports facing a switch (not router-to-router links) answer solicitations.
  if (p.nb.peer !== undefined || p.peerName === undefined) return f.out;
  if (p.networks.ipv6Addrs.length === 0) return f.out;
  const mode = p.nb.ipv6_ra_configs['address_mode'];
  if (mode === undefined) return f.out;
  if (!ADDRESS_MODES.has(mode)) {
    ctx.warn('ra-address-mode', `Invalid address mode [${mode}] defined`);
    return f.out;
  }
  // Link-local networks are not advertised; without another prefix there is no RA.
  const prefixes = p.networks.ipv6Addrs.filter((a) => !in6IsLla(a.network)).map((a) => `, prefix = ${a.networkStr}/${a.plen}`);
  if (prefixes.length === 0) return f.out;
  f.add(
    LR_IN_ND_RA_OPTIONS,
    50,
    `inport == ${p.jsonKey} && ip6.dst == ff02::2 && nd_rs`,
    `${REGBIT_ND_RA_OPTS_RESULT} = put_nd_ra_opts(${raOptions(p, mode)}${prefixes.join('')}); next;`,
    { hint: p.nb._uuid, meter: routerCoppMeter(ctx, rtr, 'nd-ra-opts') },
  );
  const lla = formatIpv6(in6GenerateLla(p.networks.ea));
  f.add(
    LR_IN_ND_RA_RESPONSE,
    50,
    `inport == ${p.jsonKey} && ip6.dst == ff02::2 && nd_ra && ${REGBIT_ND_RA_OPTS_RESULT}`,
    `eth.dst = eth.src; eth.src = ${p.networks.eaStr}; ip6.dst = ip6.src; ip6.src = ${lla}; outport = inport; flags.loopback = 1; output;`,
    { hint: p.nb._uuid },
  );
  return f.out;
}
