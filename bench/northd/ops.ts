// The incremental operations both benchmarks time (run.ts against both daemons,
// ops-profile.ts in-process): ovn-nbctl arguments for round k on a generated topology.
// '@LBG@' stands for the Load_Balancer_Group UUID (ovn-nbctl does not look groups up by name).
// `prep` (optional) is done with `ovn-nbctl --wait=sb` before the timed command, untimed.
import { ipMac, ovnkGatewayRouter, ovnkNodeIp, podIp, type TopologyInfo } from '../topology/gen.js';

export interface OpDef {
  name: string;
  args: (k: number, info: TopologyInfo) => string[];
  prep?: (k: number, info: TopologyInfo) => string[];
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** The operations of the switch-only scales (small, medium, large). */
export const OPS: OpDef[] = [
  {
    name: 'add port',
    args: (k, i) => ['lsp-add', i.names.switch0, `bench-p${k}`, '--', 'lsp-set-addresses', `bench-p${k}`, `0a:58:0a:c8:00:${hex2(k + 2)} 10.200.0.${k + 2}`],
  },
  { name: 'delete port', args: (k) => ['lsp-del', `bench-p${k}`] },
  { name: 'add VIP', args: (k, i) => ['set', 'Load_Balancer', i.names.lb0, `vips:"172.31.0.${k + 1}:80"="10.128.0.2:8080,10.128.0.3:8080,10.128.0.4:8080"`] },
  { name: 'VIP → no backends', args: (k, i) => ['set', 'Load_Balancer', i.names.lb0, `vips:"172.31.0.${k + 1}:80"=""`] },
  {
    name: 'add switch + port',
    args: (k, i) => [
      'ls-add', `bench-ls${k}`,
      '--', 'lsp-add', `bench-ls${k}`, `bench-ls${k}-p0`,
      '--', 'lsp-set-addresses', `bench-ls${k}-p0`, `0a:58:0a:c9:00:${hex2(k + 2)} 10.201.0.${k + 2}`,
      ...(i.names.lbGroup ? ['--', 'add', 'Logical_Switch', `bench-ls${k}`, 'load_balancer_group', '@LBG@'] : []),
    ],
  },
  { name: 'add ACL to port group', args: (k, i) => ['acl-add', i.names.portGroup0, 'to-lport', String(1100 + k), `outport == @${i.names.portGroup0} && tcp.dst == ${9000 + k}`, 'allow-related'] },
  { name: 'add address to address set', args: (k, i) => ['add', 'Address_Set', i.names.addressSet0, 'addresses', `10.202.0.${k + 1}`] },
];

const ovnk = (i: TopologyInfo): NonNullable<TopologyInfo['names']['ovnk']> => {
  if (!i.names.ovnk) throw new Error('not an ovnk topology');
  return i.names.ovnk;
};

/**
 * The operations of the ovnk shape (what ovn-kubernetes does while a cluster runs):
 *   add pod / delete pod   a port with `MAC IP` + port_security on node0's switch (.240+k)
 *   add VIP / VIP → no backends   on lb0 (in clusterLBGroup)
 *   add node switch + router port   node<N+k>: ls-add with other_config:subnet and the LB group,
 *                          rtos-/stor- pair on ovn_cluster_router, management port k8s-<node>,
 *                          in one transaction (as ovnkube-master creates a node's switch)
 *   add ACL / add address to address set   pg0 / as_pg0
 *   bare sync              `ovn-nbctl --wait=sb sync`: nothing changed but nb_cfg
 *   add static route       ovn-k's per-node src-ip route on ovn_cluster_router
 *                          (10.132.k.0/24 → node0's gateway router join IP)
 *   add router port        Neutron's "router interface add": an LRP on ovn_cluster_router
 *                          (10.133.k.1/24) and its router-type peer on an existing empty switch
 *                          (prep, untimed: `ls-add bench-rp<k>`)
 *   add SNAT rule          a per-pod SNAT on node0's gateway router (10.128.0.(200+k)/32 → the
 *                          node IP), as ovn-k writes with disable-snat-multiple-gws / egress IPs
 *   add floating IP        a dnat_and_snat 172.18.250.(k+1) ↔ 10.128.0.(220+k) on node0's
 *                          gateway router (an external IP on the node network)
 */
export const OVNK_OPS: OpDef[] = [
  {
    name: 'add port',
    args: (k, i) => {
      const ip = podIp(0, 240 + k);
      const addr = `${ipMac(ip)} ${ip}`;
      return ['lsp-add', ovnk(i).node0, `bench-p${k}`, '--', 'lsp-set-addresses', `bench-p${k}`, addr, '--', 'lsp-set-port-security', `bench-p${k}`, addr];
    },
  },
  OPS[1]!,
  OPS[2]!,
  OPS[3]!,
  {
    name: 'add node switch + router port',
    args: (k, i) => {
      const o = ovnk(i);
      const s = o.nodes + k;
      const node = `bench-node${k}`;
      const rip = podIp(s, 1);
      const mip = podIp(s, 2);
      return [
        'ls-add', node,
        '--', 'set', 'Logical_Switch', node, `other_config:subnet=${podIp(s, 0)}/24`,
        '--', 'add', 'Logical_Switch', node, 'load_balancer_group', '@LBG@',
        '--', 'lrp-add', o.clusterRouter, `rtos-${node}`, ipMac(rip), `${rip}/24`,
        '--', 'lsp-add', node, `stor-${node}`,
        '--', 'lsp-set-type', `stor-${node}`, 'router',
        '--', 'lsp-set-addresses', `stor-${node}`, 'router',
        '--', 'lsp-set-options', `stor-${node}`, `router-port=rtos-${node}`,
        '--', 'lsp-add', node, `k8s-${node}`,
        '--', 'lsp-set-addresses', `k8s-${node}`, `${ipMac(mip)} ${mip}`,
      ];
    },
  },
  OPS[5]!,
  OPS[6]!,
  { name: 'bare sync', args: () => ['sync'] },
  {
    name: 'add static route',
    args: (k, i) => ['--policy=src-ip', 'lr-route-add', ovnk(i).clusterRouter, `10.132.${k}.0/24`, ovnk(i).joinIp0],
  },
  {
    name: 'add router port',
    prep: (k) => ['ls-add', `bench-rp${k}`],
    args: (k, i) => {
      const ip = `10.133.${k}.1`;
      const lrp = `rtos-bench-rp${k}`;
      const lsp = `stor-bench-rp${k}`;
      return [
        'lrp-add', ovnk(i).clusterRouter, lrp, ipMac(ip), `${ip}/24`,
        '--', 'lsp-add', `bench-rp${k}`, lsp,
        '--', 'lsp-set-type', lsp, 'router',
        '--', 'lsp-set-addresses', lsp, 'router',
        '--', 'lsp-set-options', lsp, `router-port=${lrp}`,
      ];
    },
  },
  {
    name: 'add SNAT rule',
    args: (k, i) => ['lr-nat-add', ovnkGatewayRouter(ovnk(i).node0), 'snat', ovnkNodeIp(0), `${podIp(0, 200 + k)}/32`],
  },
  {
    name: 'add floating IP',
    args: (k, i) => ['lr-nat-add', ovnkGatewayRouter(ovnk(i).node0), 'dnat_and_snat', `172.18.250.${k + 1}`, podIp(0, 220 + k)],
  },
];

/** The operations for a topology: OVNK_OPS for the ovnk shape, else OPS. */
export function opsFor(info: TopologyInfo): OpDef[] {
  return info.names.ovnk ? OVNK_OPS : OPS;
}
