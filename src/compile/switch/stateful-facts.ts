// Per-switch facts the stateful stages depend on, read straight from the NB:
// does the switch have LB VIPs, ACLs, stateful ACLs; which of its ports are
// router ports (peered with a real router port), localnet or vtep ports; and
// which meter a control-plane-protection (CoPP) policy assigns to a protocol.
import type { CompileContext } from '../context.js';
import type { NbACL, NbLogicalSwitch, NbLogicalSwitchPort } from '../../model/nb.js';
import { extractLrpNetworks } from '../../model/lsp-addresses.js';

export interface SwitchStatefulFacts {
  /** Some directly attached LB, or LB of an attached group, has a non-empty `vips` map. */
  readonly hasLbVip: boolean;
  /** The switch, or a port group with one of its ports, has ACLs. */
  readonly hasAcls: boolean;
  /** One of those ACLs is allow-related. */
  readonly hasStatefulAcl: boolean;
  /** ACLs of the switch, then of its port groups (each once). */
  readonly acls: readonly NbACL[];
  /** LSPs of type "router" whose router-port names an existing router port. */
  readonly routerPorts: readonly NbLogicalSwitchPort[];
  /** Names of the distributed gateway router ports peered with those LSPs. */
  readonly l3dgwPeers: readonly string[];
  readonly localnetPorts: readonly NbLogicalSwitchPort[];
  readonly hasVtepLports: boolean;
  readonly ports: readonly NbLogicalSwitchPort[];
}

/**
 * Router ports as the reference knows them: LRPs of enabled routers with a
 * valid MAC.  Value: whether the port is a distributed gateway port (it has
 * gateway chassis or an HA chassis group on a router without options:chassis).
 */
function routerPortTable(ctx: CompileContext): Map<string, { l3dgw: boolean }> {
  const out = new Map<string, { l3dgw: boolean }>();
  for (const lr of ctx.nb.Logical_Router.values()) {
    if (lr.enabled === false) continue;
    for (const uuid of lr.ports) {
      const lrp = ctx.nb.Logical_Router_Port.get(uuid);
      if (!lrp || out.has(lrp.name)) continue;
      if (!extractLrpNetworks(lrp.mac, lrp.networks).ok) continue;
      const l3dgw =
        (lrp.ha_chassis_group !== undefined || lrp.gateway_chassis.length > 0) && lr.options['chassis'] === undefined;
      out.set(lrp.name, { l3dgw });
    }
  }
  return out;
}

export function switchStatefulFacts(ctx: CompileContext, sw: NbLogicalSwitch): SwitchStatefulFacts {
  const lbHasVip = (uuid: string): boolean => {
    const lb = ctx.nb.Load_Balancer.get(uuid);
    return lb !== undefined && Object.keys(lb.vips).length > 0;
  };
  const hasLbVip =
    sw.load_balancer.some(lbHasVip) ||
    sw.load_balancer_group.some((g) => (ctx.nb.Load_Balancer_Group.get(g)?.load_balancer ?? []).some(lbHasVip));

  const ports = sw.ports.flatMap((u) => {
    const p = ctx.nb.Logical_Switch_Port.get(u);
    return p ? [p] : [];
  });
  const portUuids = new Set(sw.ports);

  const acls: NbACL[] = [];
  const seen = new Set<string>();
  const addAcl = (uuid: string): void => {
    const acl = ctx.nb.ACL.get(uuid);
    if (acl && !seen.has(uuid)) {
      seen.add(uuid);
      acls.push(acl);
    }
  };
  sw.acls.forEach(addAcl);
  for (const pg of ctx.nb.Port_Group.values()) {
    if (pg.ports.some((p) => portUuids.has(p))) pg.acls.forEach(addAcl);
  }

  const rtrPorts = routerPortTable(ctx);
  const routerPorts: NbLogicalSwitchPort[] = [];
  const l3dgwPeers: string[] = [];
  for (const p of ports) {
    if (p.type !== 'router') continue;
    const peer = p.options['router-port'];
    const info = peer === undefined ? undefined : rtrPorts.get(peer);
    if (!info) continue;
    routerPorts.push(p);
    if (info.l3dgw) l3dgwPeers.push(peer!);
  }

  return {
    hasLbVip,
    hasAcls: acls.length > 0,
    hasStatefulAcl: acls.some((a) => a.action === 'allow-related'),
    acls,
    routerPorts,
    l3dgwPeers,
    localnetPorts: ports.filter((p) => p.type === 'localnet'),
    hasVtepLports: ports.some((p) => p.type === 'vtep'),
    ports,
  };
}

export type CoppProto =
  | 'arp'
  | 'arp-resolve'
  | 'dhcpv4-opts'
  | 'dhcpv6-opts'
  | 'dns'
  | 'event-elb'
  | 'icmp4-error'
  | 'icmp6-error'
  | 'igmp'
  | 'nd-na'
  | 'nd-ns'
  | 'nd-ns-resolve'
  | 'nd-ra-opts'
  | 'tcp-reset'
  | 'reject'
  | 'svc-monitor'
  | 'bfd';

/** copp_meter_get(): the meter the switch's CoPP policy names for `proto`, if that NB Meter exists. */
export function coppMeter(ctx: CompileContext, sw: NbLogicalSwitch, proto: CoppProto): string | undefined {
  if (sw.copp === undefined) return undefined;
  const meter = ctx.nb.Copp.get(sw.copp)?.meters[proto];
  if (meter === undefined) return undefined;
  for (const m of ctx.nb.Meter.values()) if (m.name === meter) return meter;
  return undefined;
}

/** The NB Meter of that name if it is a fair meter (fair_meter_lookup_by_name). */
export function isFairMeter(ctx: CompileContext, name: string): boolean {
  for (const m of ctx.nb.Meter.values()) if (m.name === name) return m.fair === true;
  return false;
}
