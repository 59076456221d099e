// The compiler's output: the SB contents northd owns, described without SB
// row UUIDs. References are by natural keys (a datapath by the UUID of its
// NB Logical_Switch/Logical_Router, a port by its logical_port name); the
// SB differ (src/sb) resolves them to SB UUIDs and writes only differences.
import type { MergedFlows } from './lflow.js';
import type { Diagnostic } from './context.js';
import type { DesiredMeter } from './meters.js';
import type { DesiredDns } from './dns.js';
import type { DesiredMirror } from './mirrors.js';
import type { DesiredServiceMonitor } from './lb/health.js';
import type { SbPortBinding, SbLoadBalancer, SbIPMulticast, SbStaticMACBinding, SbBFD } from '../model/sb.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface DesiredDatapath {
  /** NB Logical_Switch / Logical_Router UUID. */
  readonly nbUuid: string;
  readonly kind: 'switch' | 'router';
  readonly tunnelKey: number;
  /** external_ids as the reference writes them (logical-switch/-router, name, name2, interconn-ts, ...). */
  readonly externalIds: Readonly<Record<string, string>>;
}

/**
 * Port_Binding columns northd writes. `datapath` is the NB UUID of the
 * switch/router. Columns owned by ovn-controller (chassis, encap, up,
 * additional_chassis/encap, virtual_parent) are not part of the desired row
 * unless northd writes them itself.
 */
export type DesiredPortBinding = Omit<
  SbPortBinding,
  | '_uuid'
  | 'datapath'
  | 'chassis'
  | 'encap'
  | 'up'
  | 'additional_chassis'
  | 'additional_encap'
  | 'virtual_parent'
  | 'gateway_chassis'
  | 'ha_chassis_group'
  | 'mirror_rules'
  | 'requested_chassis'
  | 'requested_additional_chassis'
> & {
  readonly datapath: string;
  /** Chassis names (SB Chassis.name) requested through options:requested-chassis. */
  readonly requestedChassis?: string;
  readonly requestedAdditionalChassis?: readonly string[];
  /** The SB HA_Chassis_Group (by name) of a chassisredirect port or an external port. */
  readonly haChassisGroup?: string;
  /** A switch port's mirrors: SB Mirror names (sorted; absent for router ports). */
  readonly mirrorRules?: readonly string[];
};

export interface DesiredMulticastGroup {
  /** NB UUID of the datapath. */
  readonly datapath: string;
  readonly name: string;
  readonly tunnelKey: number;
  /** Logical port names. */
  readonly ports: readonly string[];
}

/** SB Load_Balancer, with the datapaths (NB UUIDs) it applies to. */
export type DesiredLoadBalancer = Omit<SbLoadBalancer, '_uuid' | 'datapaths' | 'datapath_group'> & {
  readonly nbUuid: string;
  readonly datapaths: readonly string[];
};

export type DesiredIpMulticast = Omit<SbIPMulticast, '_uuid' | 'datapath'> & { readonly datapath: string };

/** One member of an SB HA_Chassis_Group: the chassis by name (its row may not exist yet). */
export interface DesiredHaChassis {
  readonly chassisName: string;
  readonly priority: number;
}

/** SB HA_Chassis_Group with its HA_Chassis rows. */
export interface DesiredHaChassisGroup {
  readonly name: string;
  readonly members: readonly DesiredHaChassis[];
  /** SB Chassis names, sorted: where the ports that reach this gateway are bound. */
  readonly refChassis: readonly string[];
}

/** SB Static_MAC_Binding; `datapath` is the router's NB UUID (written on insert only, as the reference does). */
export type DesiredStaticMacBinding = Omit<SbStaticMACBinding, '_uuid' | 'datapath'> & { readonly datapath: string };

/**
 * An NB Static_MAC_Binding whose port is not a router port: the reference neither
 * writes nor deletes an SB row of that (port, ip).
 */
export const KEEP_SB_ROW = 'keep';

/** SB BFD; `src_port` and `disc` are written on insert only (they are the SB row's when it exists). */
export type DesiredBfd = Omit<SbBFD, '_uuid' | 'external_ids' | 'options'>;

export interface DesiredSb {
  readonly sbGlobalOptions: Readonly<Record<string, string>>;
  /** NB_Global options the reference writes back (mac_prefix, svc_monitor_mac, max_tunid, ...). */
  readonly nbGlobalOptions: Readonly<Record<string, string>>;
  readonly datapaths: ReadonlyMap<string, DesiredDatapath>;
  readonly portBindings: ReadonlyMap<string, DesiredPortBinding>;
  readonly multicastGroups: readonly DesiredMulticastGroup[];
  /** SB IGMP_Group rows to delete (no chassis or datapath, or a datapath northd does not own). */
  readonly igmpStale: readonly string[];
  readonly loadBalancers: ReadonlyMap<string, DesiredLoadBalancer>;
  readonly ipMulticast: readonly DesiredIpMulticast[];
  /** SB Address_Set name → addresses. */
  readonly addressSets: ReadonlyMap<string, readonly string[]>;
  /** SB Port_Group name ("<switch tunnel key>_<group>") → logical port names. */
  readonly portGroups: ReadonlyMap<string, readonly string[]>;
  /** SB Meter name → unit and bands (NB meters and the ACLs' private fair-meter copies). */
  readonly meters: ReadonlyMap<string, DesiredMeter>;
  /** SB Service_Monitor by serviceMonitorKey(ip, port, protocol, logical_port). */
  readonly serviceMonitors: ReadonlyMap<string, DesiredServiceMonitor>;
  /** SB Mirror by name. */
  readonly mirrors: ReadonlyMap<string, DesiredMirror>;
  /** SB DNS by NB DNS UUID (external_ids:dns_id). */
  readonly dns: ReadonlyMap<string, DesiredDns>;
  /** SB Chassis_Template_Var by chassis name → variables. */
  readonly templateVars: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** SB HA_Chassis_Group by name. */
  readonly haChassisGroups: ReadonlyMap<string, DesiredHaChassisGroup>;
  /** SB Static_MAC_Binding by "<logical_port>\0<ip>" (staticMacBindingKey). */
  readonly staticMacBindings: ReadonlyMap<string, DesiredStaticMacBinding | typeof KEEP_SB_ROW>;
  /** SB BFD by "<logical_port>\0<dst_ip>" (bfdKey). */
  readonly bfd: ReadonlyMap<string, DesiredBfd>;
  readonly flows: MergedFlows;
  /** NB Logical_Switch_Port name → dynamic_addresses to write back (undefined clears). */
  readonly lspDynamicAddresses: ReadonlyMap<string, string | undefined>;
  /** NB BFD UUID → the status northd leaves the session with (written back where it differs). */
  readonly nbBfdStatus: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}
