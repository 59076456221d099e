// Per-switch facts the stateful stages depend on, read straight from the NB:
// does the switch have LB VIPs, ACLs, stateful ACLs; which of its ports are
// router ports (peered with a real router port), localnet or vtep ports; and
// which meter a control-plane-protection (CoPP) policy assigns to a protocol.
import type { CompileContext } from '../context.js';
import type { NbACL, NbLogicalSwitch, NbLogicalSwitchPort, NbPortGroup } from '../../model/nb.js';
import { coppMeterOf } from '../copp.js';

export interface SwitchStatefulFacts {
  /** Some directly attached LB, or LB of an attached group, has a non-empty `vips` map. */
  readonly hasLbVip: boolean;
  /** The switch, or a port group with one of its ports, has ACLs. */
  readonly hasAcls: boolean;
  /** One of those ACLs is allow-related. */
  readonly hasStatefulAcl: boolean;
  /** ACLs of the switch, then of its port groups (each once); empty when built apart. */
  readonly acls: readonly NbACL[];
  /** LSPs of type "router" whose router-port names an existing router port. */
  readonly routerPorts: readonly NbLogicalSwitchPort[];
  /** Names of the distributed gateway router ports peered with those LSPs. */
  readonly l3dgwPeers: readonly string[];
  readonly localnetPorts: readonly NbLogicalSwitchPort[];
  readonly hasVtepLports: boolean;
  readonly ports: readonly NbLogicalSwitchPort[];
}

/** Some load balancer of the switch, direct or through a group, has a VIP. */
export function switchHasLbVip(ctx: CompileContext, sw: NbLogicalSwitch): boolean {
  return sw.load_balancer.some((u) => ctx.lookup('lb-has-vip', u)) || sw.load_balancer_group.some((g) => ctx.lookup('lbg-has-vip', g));
}

/**
 * One ACL in a switch's ACL list.  `origin` is its place in that list as a
 * sortable string: the switch's own ACLs first ("a" + index), then those of
 * its port groups in port-group UUID order ("b" + group + index).  The
 * reference builds a switch's ACL flows in this order, so the first of two
 * identical flows of different ACLs keeps its stage-hint.
 */
export interface AclPlacement {
  readonly acl: NbACL;
  readonly origin: string;
}

const pad = (i: number): string => i.toString().padStart(8, '0');

/** A switch's own ACLs (Logical_Switch.acls), in order. */
export function ownAclPlacements(ctx: CompileContext, sw: NbLogicalSwitch): AclPlacement[] {
  const out: AclPlacement[] = [];
  sw.acls.forEach((u, i) => {
    const acl = ctx.nb.ACL.get(u);
    if (acl) out.push({ acl, origin: `a${pad(i)}` });
  });
  return out;
}

/** A port group's ACLs, in order. */
export function pgAclPlacements(acls: ReadonlyMap<string, NbACL>, pg: NbPortGroup): AclPlacement[] {
  const out: AclPlacement[] = [];
  pg.acls.forEach((u, i) => {
    const acl = acls.get(u);
    if (acl) out.push({ acl, origin: `b${pg._uuid}/${pad(i)}` });
  });
  return out;
}

/** UUIDs of the port groups with a port on this switch, sorted. */
export function switchPortGroups(ctx: CompileContext, sw: NbLogicalSwitch): string[] {
  const pgs = new Set<string>();
  for (const u of new Set(sw.ports)) for (const g of ctx.lookup('pg-uuids-of', u)) pgs.add(g);
  return [...pgs].sort();
}

/** The ACLs that apply to a switch (its own, then its port groups' in UUID order), each once. */
export function switchAclPlacements(ctx: CompileContext, sw: NbLogicalSwitch): AclPlacement[] {
  const out: AclPlacement[] = [];
  const seen = new Set<string>();
  const add = (p: AclPlacement): void => {
    if (seen.has(p.acl._uuid)) return;
    seen.add(p.acl._uuid);
    out.push(p);
  };
  ownAclPlacements(ctx, sw).forEach(add);
  for (const g of switchPortGroups(ctx, sw)) {
    const pg = ctx.nb.Port_Group.get(g);
    if (pg) pgAclPlacements(ctx.nb.ACL, pg).forEach(add);
  }
  return out;
}

/** What the switch's non-ACL flows need to know of its ACLs. */
export interface AclSummary {
  readonly hasAcls: boolean;
  readonly hasStatefulAcl: boolean;
}

export function aclSummary(acls: readonly NbACL[]): AclSummary {
  return { hasAcls: acls.length > 0, hasStatefulAcl: acls.some((a) => a.action === 'allow-related') };
}

/**
 * `summary`, when given, stands for the switch's ACLs: the facts then carry
 * no ACL rows (their flows are built apart, once per ACL) and nothing about
 * port groups or ACLs is read.
 */
export function switchStatefulFacts(ctx: CompileContext, sw: NbLogicalSwitch, summary?: AclSummary): SwitchStatefulFacts {
  const hasLbVip = switchHasLbVip(ctx, sw);

  const ports = sw.ports.flatMap((u) => {
    const p = ctx.nb.Logical_Switch_Port.get(u);
    return p ? [p] : [];
  });
  const acls = summary ? [] : switchAclPlacements(ctx, sw).map((p) => p.acl);
  const { hasAcls, hasStatefulAcl } = summary ?? aclSummary(acls);

  const routerPorts: NbLogicalSwitchPort[] = [];
  const l3dgwPeers: string[] = [];
  for (const p of ports) {
    if (p.type !== 'router') continue;
    const peer = p.options['router-port'];
    const info = peer === undefined ? undefined : ctx.lookup('lrp-info', peer);
    if (!info) continue;
    routerPorts.push(p);
    if (info === 'dgw') l3dgwPeers.push(peer!);
  }

  return {
    hasLbVip,
    hasAcls,
    hasStatefulAcl,
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
  return coppMeterOf(ctx, sw.copp, proto);
}

/** The NB Meter of that name if it is a fair meter (fair_meter_lookup_by_name). */
export function isFairMeter(ctx: CompileContext, name: string): boolean {
  for (const m of ctx.nb.Meter.values()) if (m.name === name) return m.fair === true;
  return false;
}
