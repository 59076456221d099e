// The incremental operations both benchmarks time (run.ts against both daemons,
// ops-profile.ts in-process): ovn-nbctl arguments for round k on a generated topology.
// '@LBG@' stands for the Load_Balancer_Group UUID (ovn-nbctl does not look groups up by name).
import type { TopologyInfo } from '../topology/gen.js';

export interface OpDef {
  name: string;
  args: (k: number, info: TopologyInfo) => string[];
}

export const OPS: OpDef[] = [
  {
    name: 'add port',
    args: (k, i) => ['lsp-add', i.names.switch0, `bench-p${k}`, '--', 'lsp-set-addresses', `bench-p${k}`, `0a:58:0a:c8:00:${(k + 2).toString(16).padStart(2, '0')} 10.200.0.${k + 2}`],
  },
  { name: 'delete port', args: (k) => ['lsp-del', `bench-p${k}`] },
  { name: 'add VIP', args: (k, i) => ['set', 'Load_Balancer', i.names.lb0, `vips:"172.31.0.${k + 1}:80"="10.128.0.2:8080,10.128.0.3:8080,10.128.0.4:8080"`] },
  { name: 'VIP → no backends', args: (k, i) => ['set', 'Load_Balancer', i.names.lb0, `vips:"172.31.0.${k + 1}:80"=""`] },
  {
    name: 'add switch + port',
    args: (k, i) => [
      'ls-add', `bench-ls${k}`,
      '--', 'lsp-add', `bench-ls${k}`, `bench-ls${k}-p0`,
      '--', 'lsp-set-addresses', `bench-ls${k}-p0`, `0a:58:0a:c9:00:${(k + 2).toString(16).padStart(2, '0')} 10.201.0.${k + 2}`,
      ...(i.names.lbGroup ? ['--', 'add', 'Logical_Switch', `bench-ls${k}`, 'load_balancer_group', '@LBG@'] : []),
    ],
  },
  { name: 'add ACL to port group', args: (k, i) => ['acl-add', i.names.portGroup0, 'to-lport', String(1100 + k), `outport == @${i.names.portGroup0} && tcp.dst == ${9000 + k}`, 'allow-related'] },
  { name: 'add address to address set', args: (k, i) => ['add', 'Address_Set', i.names.addressSet0, 'addresses', `10.202.0.${k + 1}`] },
];
