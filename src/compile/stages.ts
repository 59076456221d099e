// The logical pipeline stages of OVN 23.03.1 (northd/northd.c PIPELINE_STAGES,
// cross-checked with `man ovn-northd` and with `ovn-sbctl lflow-list` of the
// real ovn-northd 23.03.1, see test/unit/stages.test.ts).
//
// Constant names follow northd.c's enum (S_SWITCH_IN_PRE_LB → LS_IN_PRE_LB,
// S_ROUTER_OUT_SNAT → LR_OUT_SNAT); `name` is what lflow-list prints in
// "table=N (name)" and what SB Logical_Flow external_ids:stage-name holds.
// Note the few names that differ from the enum: LS_IN_ARP_ND_RSP is
// "ls_in_arp_rsp", LS_IN_L2_LKUP is "ls_in_l2_lkup", LR_OUT_CHECK_DNAT_LOCAL
// is "lr_out_chk_dnat_local".

export type Pipeline = 'ingress' | 'egress';
export type DatapathKind = 'switch' | 'router';

export interface Stage {
  /** Name as printed by ovn-sbctl lflow-list, e.g. "ls_in_pre_lb". */
  readonly name: string;
  /** northd.c enum name without the S_ prefix, e.g. "SWITCH_IN_PRE_LB". */
  readonly id: string;
  readonly datapath: DatapathKind;
  readonly pipeline: Pipeline;
  /** Logical table number within the pipeline. */
  readonly table: number;
}

function st(datapath: DatapathKind, pipeline: Pipeline, table: number, enumName: string, name: string): Stage {
  const id = `${datapath === 'switch' ? 'SWITCH' : 'ROUTER'}_${pipeline === 'ingress' ? 'IN' : 'OUT'}_${enumName}`;
  return Object.freeze({ name, id, datapath, pipeline, table });
}

// Logical switch ingress.
export const LS_IN_CHECK_PORT_SEC = st('switch', 'ingress', 0, 'CHECK_PORT_SEC', 'ls_in_check_port_sec');
export const LS_IN_APPLY_PORT_SEC = st('switch', 'ingress', 1, 'APPLY_PORT_SEC', 'ls_in_apply_port_sec');
export const LS_IN_LOOKUP_FDB = st('switch', 'ingress', 2, 'LOOKUP_FDB', 'ls_in_lookup_fdb');
export const LS_IN_PUT_FDB = st('switch', 'ingress', 3, 'PUT_FDB', 'ls_in_put_fdb');
export const LS_IN_PRE_ACL = st('switch', 'ingress', 4, 'PRE_ACL', 'ls_in_pre_acl');
export const LS_IN_PRE_LB = st('switch', 'ingress', 5, 'PRE_LB', 'ls_in_pre_lb');
export const LS_IN_PRE_STATEFUL = st('switch', 'ingress', 6, 'PRE_STATEFUL', 'ls_in_pre_stateful');
export const LS_IN_ACL_HINT = st('switch', 'ingress', 7, 'ACL_HINT', 'ls_in_acl_hint');
export const LS_IN_ACL = st('switch', 'ingress', 8, 'ACL', 'ls_in_acl');
export const LS_IN_QOS_MARK = st('switch', 'ingress', 9, 'QOS_MARK', 'ls_in_qos_mark');
export const LS_IN_QOS_METER = st('switch', 'ingress', 10, 'QOS_METER', 'ls_in_qos_meter');
export const LS_IN_LB_AFF_CHECK = st('switch', 'ingress', 11, 'LB_AFF_CHECK', 'ls_in_lb_aff_check');
export const LS_IN_LB = st('switch', 'ingress', 12, 'LB', 'ls_in_lb');
export const LS_IN_LB_AFF_LEARN = st('switch', 'ingress', 13, 'LB_AFF_LEARN', 'ls_in_lb_aff_learn');
export const LS_IN_PRE_HAIRPIN = st('switch', 'ingress', 14, 'PRE_HAIRPIN', 'ls_in_pre_hairpin');
export const LS_IN_NAT_HAIRPIN = st('switch', 'ingress', 15, 'NAT_HAIRPIN', 'ls_in_nat_hairpin');
export const LS_IN_HAIRPIN = st('switch', 'ingress', 16, 'HAIRPIN', 'ls_in_hairpin');
export const LS_IN_ACL_AFTER_LB = st('switch', 'ingress', 17, 'ACL_AFTER_LB', 'ls_in_acl_after_lb');
export const LS_IN_STATEFUL = st('switch', 'ingress', 18, 'STATEFUL', 'ls_in_stateful');
export const LS_IN_ARP_ND_RSP = st('switch', 'ingress', 19, 'ARP_ND_RSP', 'ls_in_arp_rsp');
export const LS_IN_DHCP_OPTIONS = st('switch', 'ingress', 20, 'DHCP_OPTIONS', 'ls_in_dhcp_options');
export const LS_IN_DHCP_RESPONSE = st('switch', 'ingress', 21, 'DHCP_RESPONSE', 'ls_in_dhcp_response');
export const LS_IN_DNS_LOOKUP = st('switch', 'ingress', 22, 'DNS_LOOKUP', 'ls_in_dns_lookup');
export const LS_IN_DNS_RESPONSE = st('switch', 'ingress', 23, 'DNS_RESPONSE', 'ls_in_dns_response');
export const LS_IN_EXTERNAL_PORT = st('switch', 'ingress', 24, 'EXTERNAL_PORT', 'ls_in_external_port');
export const LS_IN_L2_LKUP = st('switch', 'ingress', 25, 'L2_LKUP', 'ls_in_l2_lkup');
export const LS_IN_L2_UNKNOWN = st('switch', 'ingress', 26, 'L2_UNKNOWN', 'ls_in_l2_unknown');

// Logical switch egress.
export const LS_OUT_PRE_ACL = st('switch', 'egress', 0, 'PRE_ACL', 'ls_out_pre_acl');
export const LS_OUT_PRE_LB = st('switch', 'egress', 1, 'PRE_LB', 'ls_out_pre_lb');
export const LS_OUT_PRE_STATEFUL = st('switch', 'egress', 2, 'PRE_STATEFUL', 'ls_out_pre_stateful');
export const LS_OUT_ACL_HINT = st('switch', 'egress', 3, 'ACL_HINT', 'ls_out_acl_hint');
export const LS_OUT_ACL = st('switch', 'egress', 4, 'ACL', 'ls_out_acl');
export const LS_OUT_QOS_MARK = st('switch', 'egress', 5, 'QOS_MARK', 'ls_out_qos_mark');
export const LS_OUT_QOS_METER = st('switch', 'egress', 6, 'QOS_METER', 'ls_out_qos_meter');
export const LS_OUT_STATEFUL = st('switch', 'egress', 7, 'STATEFUL', 'ls_out_stateful');
export const LS_OUT_CHECK_PORT_SEC = st('switch', 'egress', 8, 'CHECK_PORT_SEC', 'ls_out_check_port_sec');
export const LS_OUT_APPLY_PORT_SEC = st('switch', 'egress', 9, 'APPLY_PORT_SEC', 'ls_out_apply_port_sec');

// Logical router ingress.
export const LR_IN_ADMISSION = st('router', 'ingress', 0, 'ADMISSION', 'lr_in_admission');
export const LR_IN_LOOKUP_NEIGHBOR = st('router', 'ingress', 1, 'LOOKUP_NEIGHBOR', 'lr_in_lookup_neighbor');
export const LR_IN_LEARN_NEIGHBOR = st('router', 'ingress', 2, 'LEARN_NEIGHBOR', 'lr_in_learn_neighbor');
export const LR_IN_IP_INPUT = st('router', 'ingress', 3, 'IP_INPUT', 'lr_in_ip_input');
export const LR_IN_UNSNAT = st('router', 'ingress', 4, 'UNSNAT', 'lr_in_unsnat');
export const LR_IN_DEFRAG = st('router', 'ingress', 5, 'DEFRAG', 'lr_in_defrag');
export const LR_IN_LB_AFF_CHECK = st('router', 'ingress', 6, 'LB_AFF_CHECK', 'lr_in_lb_aff_check');
export const LR_IN_DNAT = st('router', 'ingress', 7, 'DNAT', 'lr_in_dnat');
export const LR_IN_LB_AFF_LEARN = st('router', 'ingress', 8, 'LB_AFF_LEARN', 'lr_in_lb_aff_learn');
export const LR_IN_ECMP_STATEFUL = st('router', 'ingress', 9, 'ECMP_STATEFUL', 'lr_in_ecmp_stateful');
export const LR_IN_ND_RA_OPTIONS = st('router', 'ingress', 10, 'ND_RA_OPTIONS', 'lr_in_nd_ra_options');
export const LR_IN_ND_RA_RESPONSE = st('router', 'ingress', 11, 'ND_RA_RESPONSE', 'lr_in_nd_ra_response');
export const LR_IN_IP_ROUTING_PRE = st('router', 'ingress', 12, 'IP_ROUTING_PRE', 'lr_in_ip_routing_pre');
export const LR_IN_IP_ROUTING = st('router', 'ingress', 13, 'IP_ROUTING', 'lr_in_ip_routing');
export const LR_IN_IP_ROUTING_ECMP = st('router', 'ingress', 14, 'IP_ROUTING_ECMP', 'lr_in_ip_routing_ecmp');
export const LR_IN_POLICY = st('router', 'ingress', 15, 'POLICY', 'lr_in_policy');
export const LR_IN_POLICY_ECMP = st('router', 'ingress', 16, 'POLICY_ECMP', 'lr_in_policy_ecmp');
export const LR_IN_ARP_RESOLVE = st('router', 'ingress', 17, 'ARP_RESOLVE', 'lr_in_arp_resolve');
export const LR_IN_CHK_PKT_LEN = st('router', 'ingress', 18, 'CHK_PKT_LEN', 'lr_in_chk_pkt_len');
export const LR_IN_LARGER_PKTS = st('router', 'ingress', 19, 'LARGER_PKTS', 'lr_in_larger_pkts');
export const LR_IN_GW_REDIRECT = st('router', 'ingress', 20, 'GW_REDIRECT', 'lr_in_gw_redirect');
export const LR_IN_ARP_REQUEST = st('router', 'ingress', 21, 'ARP_REQUEST', 'lr_in_arp_request');

// Logical router egress.
export const LR_OUT_CHECK_DNAT_LOCAL = st('router', 'egress', 0, 'CHECK_DNAT_LOCAL', 'lr_out_chk_dnat_local');
export const LR_OUT_UNDNAT = st('router', 'egress', 1, 'UNDNAT', 'lr_out_undnat');
export const LR_OUT_POST_UNDNAT = st('router', 'egress', 2, 'POST_UNDNAT', 'lr_out_post_undnat');
export const LR_OUT_SNAT = st('router', 'egress', 3, 'SNAT', 'lr_out_snat');
export const LR_OUT_POST_SNAT = st('router', 'egress', 4, 'POST_SNAT', 'lr_out_post_snat');
export const LR_OUT_EGR_LOOP = st('router', 'egress', 5, 'EGR_LOOP', 'lr_out_egr_loop');
export const LR_OUT_DELIVERY = st('router', 'egress', 6, 'DELIVERY', 'lr_out_delivery');

/** Every stage, in PIPELINE_STAGES order (switch in, switch out, router in, router out). */
export const STAGES: readonly Stage[] = Object.freeze([
  LS_IN_CHECK_PORT_SEC, LS_IN_APPLY_PORT_SEC, LS_IN_LOOKUP_FDB, LS_IN_PUT_FDB, LS_IN_PRE_ACL,
  LS_IN_PRE_LB, LS_IN_PRE_STATEFUL, LS_IN_ACL_HINT, LS_IN_ACL, LS_IN_QOS_MARK, LS_IN_QOS_METER,
  LS_IN_LB_AFF_CHECK, LS_IN_LB, LS_IN_LB_AFF_LEARN, LS_IN_PRE_HAIRPIN, LS_IN_NAT_HAIRPIN,
  LS_IN_HAIRPIN, LS_IN_ACL_AFTER_LB, LS_IN_STATEFUL, LS_IN_ARP_ND_RSP, LS_IN_DHCP_OPTIONS,
  LS_IN_DHCP_RESPONSE, LS_IN_DNS_LOOKUP, LS_IN_DNS_RESPONSE, LS_IN_EXTERNAL_PORT, LS_IN_L2_LKUP,
  LS_IN_L2_UNKNOWN,
  LS_OUT_PRE_ACL, LS_OUT_PRE_LB, LS_OUT_PRE_STATEFUL, LS_OUT_ACL_HINT, LS_OUT_ACL, LS_OUT_QOS_MARK,
  LS_OUT_QOS_METER, LS_OUT_STATEFUL, LS_OUT_CHECK_PORT_SEC, LS_OUT_APPLY_PORT_SEC,
  LR_IN_ADMISSION, LR_IN_LOOKUP_NEIGHBOR, LR_IN_LEARN_NEIGHBOR, LR_IN_IP_INPUT, LR_IN_UNSNAT,
  LR_IN_DEFRAG, LR_IN_LB_AFF_CHECK, LR_IN_DNAT, LR_IN_LB_AFF_LEARN, LR_IN_ECMP_STATEFUL,
  LR_IN_ND_RA_OPTIONS, LR_IN_ND_RA_RESPONSE, LR_IN_IP_ROUTING_PRE, LR_IN_IP_ROUTING,
  LR_IN_IP_ROUTING_ECMP, LR_IN_POLICY, LR_IN_POLICY_ECMP, LR_IN_ARP_RESOLVE, LR_IN_CHK_PKT_LEN,
  LR_IN_LARGER_PKTS, LR_IN_GW_REDIRECT, LR_IN_ARP_REQUEST,
  LR_OUT_CHECK_DNAT_LOCAL, LR_OUT_UNDNAT, LR_OUT_POST_UNDNAT, LR_OUT_SNAT, LR_OUT_POST_SNAT,
  LR_OUT_EGR_LOOP, LR_OUT_DELIVERY,
]);

const BY_NAME = new Map(STAGES.map((s) => [s.name, s]));
const BY_ID = new Map(STAGES.map((s) => [s.id, s]));
const BY_POS = new Map(STAGES.map((s) => [`${s.datapath}/${s.pipeline}/${s.table}`, s]));

/** The stage printed as `name` by lflow-list, e.g. "ls_in_pre_lb". */
export function stageByName(name: string): Stage | undefined {
  return BY_NAME.get(name);
}

/** The stage with northd.c enum name, with or without "S_" ("SWITCH_IN_PRE_LB"). */
export function stageById(id: string): Stage | undefined {
  return BY_ID.get(id.startsWith('S_') ? id.slice(2) : id);
}

/** The stage at a table of a datapath kind's pipeline. */
export function stageAt(datapath: DatapathKind, pipeline: Pipeline, table: number): Stage | undefined {
  return BY_POS.get(`${datapath}/${pipeline}/${table}`);
}

/** The stages of one pipeline, in table order. */
export function pipelineStages(datapath: DatapathKind, pipeline: Pipeline): readonly Stage[] {
  return STAGES.filter((s) => s.datapath === datapath && s.pipeline === pipeline);
}

/** SB Logical_Flow `pipeline` column value ("ingress" / "egress"). */
export function sbPipeline(stage: Stage): Pipeline {
  return stage.pipeline;
}

/** Stage order across pipelines, for sorting (switch before router, ingress before egress). */
export function stageOrdinal(stage: Stage): number {
  return (stage.datapath === 'switch' ? 0 : 2) * 100 + (stage.pipeline === 'ingress' ? 0 : 100) + stage.table;
}
