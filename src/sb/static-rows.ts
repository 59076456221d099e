// SB rows that northd keeps present whatever the NB says: the DHCP option
// catalogs ovn-controller reads to encode options, and the RBAC role that
// lets chassis write their own rows.

export interface DhcpCatalogEntry {
  readonly name: string;
  readonly code: number;
  readonly type: string;
}

/** DHCPv4 options OVN 23.03.1 supports (name, option code, value type). */
export const DHCPV4_OPTIONS: readonly DhcpCatalogEntry[] = [
  ['offerip', 0, 'ipv4'], ['netmask', 1, 'ipv4'], ['router', 3, 'ipv4'], ['dns_server', 6, 'ipv4'],
  ['log_server', 7, 'ipv4'], ['lpr_server', 9, 'ipv4'], ['hostname', 12, 'str'], ['domain_name', 15, 'str'],
  ['swap_server', 16, 'ipv4'], ['ip_forward_enable', 19, 'bool'], ['policy_filter', 21, 'ipv4'],
  ['default_ttl', 23, 'uint8'], ['mtu', 26, 'uint16'], ['broadcast_address', 28, 'ipv4'],
  ['router_discovery', 31, 'bool'], ['router_solicitation', 32, 'ipv4'], ['arp_cache_timeout', 35, 'uint32'],
  ['ethernet_encap', 36, 'bool'], ['tcp_ttl', 37, 'uint8'], ['tcp_keepalive_interval', 38, 'uint32'],
  ['nis_server', 41, 'ipv4'], ['ntp_server', 42, 'ipv4'], ['netbios_name_server', 44, 'ipv4'],
  ['netbios_node_type', 46, 'uint8'], ['lease_time', 51, 'uint32'], ['server_id', 54, 'ipv4'],
  ['T1', 58, 'uint32'], ['T2', 59, 'uint32'], ['tftp_server', 66, 'host_id'], ['bootfile_name', 67, 'str'],
  ['domain_search_list', 119, 'domains'], ['classless_static_route', 121, 'static_routes'],
  ['tftp_server_address', 150, 'ipv4'], ['path_prefix', 210, 'str'], ['ms_classless_static_route', 249, 'static_routes'],
  ['wpad', 252, 'str'], ['next_server', 253, 'ipv4'], ['bootfile_name_alt', 254, 'str'],
].map(([name, code, type]) => ({ name: name as string, code: code as number, type: type as string }));

/** DHCPv6 options OVN 23.03.1 supports. */
export const DHCPV6_OPTIONS: readonly DhcpCatalogEntry[] = [
  { name: 'server_id', code: 2, type: 'mac' },
  { name: 'ia_addr', code: 5, type: 'ipv6' },
  { name: 'dns_server', code: 23, type: 'ipv6' },
  { name: 'domain_search', code: 24, type: 'str' },
];

export interface RbacPermissionSpec {
  readonly table: string;
  readonly authorization: readonly string[];
  readonly insert_delete: boolean;
  readonly update: readonly string[];
}

/** The `ovn-controller` RBAC role: which tables a chassis may write, and how. */
export const RBAC_ROLE_NAME = 'ovn-controller';
export const RBAC_PERMISSIONS: readonly RbacPermissionSpec[] = [
  { table: 'BFD', authorization: [''], insert_delete: false, update: ['status'] },
  { table: 'Chassis', authorization: ['name'], insert_delete: true, update: ['encaps', 'external_ids', 'nb_cfg', 'other_config', 'transport_zones', 'vtep_logical_switches'] },
  { table: 'Chassis_Private', authorization: ['name'], insert_delete: true, update: ['chassis', 'external_ids', 'nb_cfg', 'nb_cfg_timestamp'] },
  { table: 'Controller_Event', authorization: [''], insert_delete: true, update: ['chassis', 'event_info', 'event_type', 'seq_num'] },
  { table: 'Encap', authorization: ['chassis_name'], insert_delete: true, update: ['ip', 'options', 'type'] },
  { table: 'FDB', authorization: [''], insert_delete: true, update: ['dp_key', 'mac', 'port_key'] },
  { table: 'IGMP_Group', authorization: [''], insert_delete: true, update: ['address', 'chassis', 'datapath', 'ports'] },
  { table: 'MAC_Binding', authorization: [''], insert_delete: true, update: ['datapath', 'ip', 'logical_port', 'mac', 'timestamp'] },
  { table: 'Port_Binding', authorization: [''], insert_delete: false, update: ['additional_chassis', 'additional_encap', 'chassis', 'encap', 'options', 'up', 'virtual_parent'] },
  { table: 'Service_Monitor', authorization: [''], insert_delete: false, update: ['status'] },
];
