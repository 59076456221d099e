/**
 * A pod → service → pod path across a cluster router and a gateway router, in ovn-kubernetes'
 * shape (shared-gateway mode, names as ovn-kubernetes gives them):
 *
 *   ext host 172.18.0.100/24 (netns on node1's br-phys; no gateway, no routes)
 *      │ br-phys (physnet1:br-phys on node1)             (node2's own br-phys: nothing plugged)
 *   ext_node1 ── br-phys_node1 (localnet, physnet1)      ext_node2 ── br-phys_node2 (localnet)
 *      │ rtoe-GR_node1 172.18.0.2/24                        │ rtoe-GR_node2 172.18.0.3/24
 *   [GR_node1] options:chassis=node1                     [GR_node2] options:chassis=node2
 *      │ rtoj-GR_node1 100.64.0.2/16                        │ rtoj-GR_node2 100.64.0.3/16
 *   join ─────────────────────────────────────────────────────┘
 *      │ rtoj-ovn_cluster_router 100.64.0.1/16
 *   [ovn_cluster_router] distributed
 *      │ rtos-node1 10.244.1.1/24          │ rtos-node2 10.244.2.1/24
 *   node1 (switch)                       node2 (switch)
 *      pod1a 10.244.1.3 (client)            pod2a 10.244.2.3 (backend)
 *      pod1b 10.244.1.4 (backend)
 *
 * Chassis node1/node2 with a geneve underlay (as in router-two-chassis.test.ts); pods on node1's
 * and node2's br-int. Routes as ovn-kubernetes sets them:
 * - ovn_cluster_router: src-ip 10.244.1.0/24 via 100.64.0.2, src-ip 10.244.2.0/24 via 100.64.0.3
 *   (each node's pods leave by their own GR); pod subnets and the join subnet are connected;
 *   plus 100.64.0.2/32 via 100.64.0.2 and 100.64.0.3/32 via 100.64.0.3 (ovn-kubernetes adds
 *   those /32 routes to the GRs' join IPs). They are needed: a src-ip /24 route (priority 48)
 *   beats the connected join /16 (priority 33), so without them pod2a's reply to 100.64.0.2 (a
 *   NodePort connection SNATed by GR_node1) would be sent to GR_node2, whose SNAT of
 *   10.244.0.0/16 rewrites it, and the connection breaks. A dst-ip /32 (priority 65) wins.
 * - each GR: 10.244.0.0/16 via 100.64.0.1 and a default route via 172.18.0.1 (no such host; not
 *   used by any check); SNAT 10.244.0.0/16 → its external IP; options:lb_force_snat_ip=router_ip.
 *
 * Load balancers: Load_Balancer_Group clusterLBGroup on both node switches and both GRs, holding
 * the ClusterIP LB 10.96.0.10:80 → 10.244.1.4:8080, 10.244.2.3:8080; NodePort-like LBs on the GRs
 * only: 172.18.0.2:30080 on GR_node1, 172.18.0.3:30080 on GR_node2, → both backends. The backends
 * answer HTTP with their name and the client address they saw (serveClientAddress); the external
 * host answers with the client address it saw.
 *
 * Checks:
 * 1. pod1a reaches the ClusterIP and, over new connections, both backends — pod2a across the
 *    cluster router and the tunnel (the switch's LB DNATs, the distributed router routes);
 * 2. the backends see pod1a's own IP (no SNAT on the pod → service path inside the cluster);
 * 3. the external host reaches the NodePort VIP on GR_node1 and both backends, which see
 *    100.64.0.2: lb_force_snat_ip=router_ip SNATs to the IP of the port the packet leaves by
 *    (rtoj-GR_node1), not to the external IP;
 * 4. pod1a's connection to the external host arrives SNATed to 172.18.0.2 (GR_node1's SNAT).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, type Vm } from './harness.js';
import { connectUnderlay, localnetSwitch, serveClientAddress, vmPort } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const ENCAP1 = '172.31.0.1';
const ENCAP2 = '172.31.0.2';
const CLUSTER_IP = '10.96.0.10';
const CR = 'ovn_cluster_router';

/** ovn-nbctl arguments: router port `lrp` on `lr` and its router-type peer `lsp` on switch `ls`. */
function ovnkRouterPort(lr: string, lrp: string, ls: string, lsp: string, mac: string, cidr: string): string[] {
  return [
    '--', 'lrp-add', lr, lrp, mac, cidr,
    '--', 'lsp-add', ls, lsp,
    '--', 'lsp-set-type', lsp, 'router',
    '--', 'lsp-set-addresses', lsp, 'router',
    '--', 'lsp-set-options', lsp, `router-port=${lrp}`,
  ];
}

/** Tags of the answers ("pod1b 10.244.1.3" → "pod1b") and the addresses the backends saw. */
function split(bodies: (string | undefined)[]): { tags: Set<string>; seen: Set<string> } {
  const tags = new Set<string>();
  const seen = new Set<string>();
  for (const b of bodies) {
    const [tag, addr] = (b ?? '').split(' ');
    tags.add(tag ?? '');
    seen.add(addr ?? '');
  }
  return { tags, seen };
}

describe.skipIf(!!skip).sequential(`e2e ovn-kubernetes service path (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let host: Vm;
  let pod1a: Vm;

  beforeAll(async () => {
    env = await E2E.create({ label: 'ovnk-service-path' });
    await env.startNorthd(kind);
    const nodes = [
      { n: 'node1', i: 1, join: '100.64.0.2', ext: '172.18.0.2' },
      { n: 'node2', i: 2, join: '100.64.0.3', ext: '172.18.0.3' },
    ];
    await env.nbctl([
      'lr-add', CR,
      '--', 'ls-add', 'join',
      ...ovnkRouterPort(CR, `rtoj-${CR}`, 'join', `jtor-${CR}`, '0a:58:64:40:00:01', '100.64.0.1/16'),
      ...nodes.flatMap(({ n, i, join, ext }) => [
        // node switch, its cluster-router port
        '--', 'ls-add', n,
        ...ovnkRouterPort(CR, `rtos-${n}`, n, `stor-${n}`, `0a:58:0a:f4:0${i}:01`, `10.244.${i}.1/24`),
        // gateway router
        '--', 'lr-add', `GR_${n}`,
        '--', 'set', 'Logical_Router', `GR_${n}`, `options:chassis=${n}`, 'options:lb_force_snat_ip=router_ip',
        ...ovnkRouterPort(`GR_${n}`, `rtoj-GR_${n}`, 'join', `jtor-GR_${n}`, `0a:58:64:40:00:0${i + 1}`, `${join}/16`),
        '--', ...localnetSwitch(`ext_${n}`, `br-phys_${n}`, 'physnet1'),
        ...ovnkRouterPort(`GR_${n}`, `rtoe-GR_${n}`, `ext_${n}`, `etor-GR_${n}`, `02:42:ac:12:00:0${i + 1}`, `${ext}/24`),
        '--', 'lr-route-add', `GR_${n}`, '10.244.0.0/16', '100.64.0.1',
        '--', 'lr-route-add', `GR_${n}`, '0.0.0.0/0', '172.18.0.1',
        '--', 'lr-nat-add', `GR_${n}`, 'snat', ext, '10.244.0.0/16',
        // cluster router: this node's pods leave by its GR; the GR's join IP (see the header)
        '--', '--policy=src-ip', 'lr-route-add', CR, `10.244.${i}.0/24`, join,
        '--', 'lr-route-add', CR, `${join}/32`, join,
      ]),
      ...vmPort('node1', 'pod1a', '0a:58:0a:f4:01:03', '10.244.1.3'),
      ...vmPort('node1', 'pod1b', '0a:58:0a:f4:01:04', '10.244.1.4'),
      ...vmPort('node2', 'pod2a', '0a:58:0a:f4:02:03', '10.244.2.3'),
    ]);
    const backends = '10.244.1.4:8080,10.244.2.3:8080';
    await env.nbctl([
      '--id=@svc', 'create', 'Load_Balancer', 'name=svc-clusterip', 'protocol=tcp', `vips:"${CLUSTER_IP}:80"="${backends}"`,
      '--', '--id=@g', 'create', 'Load_Balancer_Group', 'name=clusterLBGroup', 'load_balancer=@svc',
      '--', 'add', 'Logical_Switch', 'node1', 'load_balancer_group', '@g',
      '--', 'add', 'Logical_Switch', 'node2', 'load_balancer_group', '@g',
      '--', 'add', 'Logical_Router', 'GR_node1', 'load_balancer_group', '@g',
      '--', 'add', 'Logical_Router', 'GR_node2', 'load_balancer_group', '@g',
      '--', 'lb-add', 'svc-nodeport-node1', '172.18.0.2:30080', backends, 'tcp',
      '--', 'lr-lb-add', 'GR_node1', 'svc-nodeport-node1',
      '--', 'lb-add', 'svc-nodeport-node2', '172.18.0.3:30080', backends, 'tcp',
      '--', 'lr-lb-add', 'GR_node2', 'svc-nodeport-node2',
    ]);
    const [node1, node2] = await Promise.all([
      env.addChassis('node1', { encapIp: ENCAP1, bridgeMappings: { physnet1: 'br-phys' } }),
      env.addChassis('node2', { encapIp: ENCAP2, bridgeMappings: { physnet1: 'br-phys' } }),
    ]);
    await connectUnderlay(node1!, ENCAP1, node2!, ENCAP2);
    host = await node1!.addPhysHost('ext1', { bridge: 'br-phys', mac: '02:42:ac:12:00:64', ip: '172.18.0.100/24' });
    pod1a = await node1!.addVm('pod1a', { lsp: 'pod1a', mac: '0a:58:0a:f4:01:03', ip: '10.244.1.3/24', gateway: '10.244.1.1' });
    const pod1b = await node1!.addVm('pod1b', { lsp: 'pod1b', mac: '0a:58:0a:f4:01:04', ip: '10.244.1.4/24', gateway: '10.244.1.1' });
    const pod2a = await node2!.addVm('pod2a', { lsp: 'pod2a', mac: '0a:58:0a:f4:02:03', ip: '10.244.2.3/24', gateway: '10.244.2.1' });
    await serveClientAddress(pod1b, 8080, 'pod1b');
    await serveClientAddress(pod2a, 8080, 'pod2a');
    await serveClientAddress(host, 8080, 'host');
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  const clusterUrl = `http://${CLUSTER_IP}/`;
  const nodePortUrl = 'http://172.18.0.2:30080/';

  it('1. a pod on node1 reaches the ClusterIP, and both backends (node2 across the cluster router and tunnel)', async () => {
    await pod1a.waitHttp(clusterUrl, 20_000);
    const rs = await pod1a.httpGetMany(clusterUrl, 16);
    expect(rs.every((r) => r.ok), JSON.stringify(rs.filter((r) => !r.ok).slice(0, 3))).toBe(true);
    expect(split(rs.map((r) => r.body)).tags).toEqual(new Set(['pod1b', 'pod2a']));
  });

  it("2. the backends see the client pod's own IP (no SNAT inside the cluster)", async () => {
    await pod1a.waitHttp(clusterUrl, 10_000);
    const rs = await pod1a.httpGetMany(clusterUrl, 12);
    expect(rs.every((r) => r.ok), JSON.stringify(rs.filter((r) => !r.ok).slice(0, 3))).toBe(true);
    // Every answer names the client as 10.244.1.3, whichever backend gave it.
    expect(split(rs.map((r) => r.body)).seen).toEqual(new Set(['10.244.1.3']));
  });

  it("3. the external host reaches the NodePort VIP on GR_node1 and both backends, which see GR_node1's join IP", async () => {
    await host.waitHttp(nodePortUrl, 15_000);
    const rs = await host.httpGetMany(nodePortUrl, 16);
    expect(rs.every((r) => r.ok), JSON.stringify(rs.filter((r) => !r.ok).slice(0, 3))).toBe(true);
    // lb_force_snat_ip=router_ip: the address of rtoj-GR_node1, the port towards the backends.
    expect(new Set(rs.map((r) => r.body))).toEqual(new Set(['pod1b 100.64.0.2', 'pod2a 100.64.0.2']));
  });

  it("4. a pod on node1 reaches the external host SNATed to GR_node1's external IP", async () => {
    const r = await pod1a.waitHttp('http://172.18.0.100:8080/', 15_000);
    expect(r.body).toBe('host 172.18.0.2');
  });
});
