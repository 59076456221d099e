import { E2E } from './harness.js';
import { writeFileSync } from 'node:fs';
const kind = (process.env.K ?? 'reference') as any;
const V = process.env.V ?? 'asym';
const env = await E2E.create({ label: 'explore-' + kind });
await env.startNorthd(kind);
const cip = V === 'sym' ? '10.0.1.10' : '10.0.0.10';
await env.nbctl([
  'ls-add', 'ls1',
  '--', 'lsp-add', 'ls1', 'ls1-client', '--', 'lsp-set-addresses', 'ls1-client', `02:00:00:00:00:10 ${cip}`,
  '--', 'lsp-add', 'ls1', 'ls1-gw', '--', 'lsp-set-addresses', 'ls1-gw', '02:00:00:00:00:01 10.0.0.1 10.0.1.1',
  '--', 'lsp-add', 'ls1', 'ls1-vm1', '--', 'lsp-set-addresses', 'ls1-vm1', '02:00:00:00:00:11 10.0.0.11',
  '--', 'lsp-add', 'ls1', 'ls1-vm2', '--', 'lsp-set-addresses', 'ls1-vm2', '02:00:00:00:00:12 10.0.0.12',
]);
const VIP = V === 'sym' ? '10.0.2.100' : '10.0.0.100';
await env.nbctl(['lb-add', 'lb1', `${VIP}:80`, '10.0.0.11:8080,10.0.0.12:8080', 'tcp']);
await env.nbctl(['ls-lb-add', 'ls1', 'lb1']);
const ch = await env.addChassis('node1');
const gwOpt = V === 'sym' ? { gateway: '10.0.0.1' } : {};
const client = await ch.addVm('client', { lsp: 'ls1-client', mac: '02:00:00:00:00:10', ip: `${cip}/24`, ...(V === 'sym' ? { gateway: '10.0.1.1' } : {}) });
const gw = await ch.addVm('gw', { lsp: 'ls1-gw', mac: '02:00:00:00:00:01', ip: '10.0.0.1/24' });
await gw.exec('ip', ['addr', 'add', '10.0.1.1/24', 'dev', gw.ifname], { check: true });
await gw.sysctl('net.ipv4.ip_forward', 1);
await gw.sysctl('net.ipv4.conf.all.send_redirects', 0);
await gw.sysctl(`net.ipv4.conf.${gw.ifname}.send_redirects`, 0);
const vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:00:00:00:00:11', ip: '10.0.0.11/24', ...gwOpt });
const vm2 = await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:00:00:00:00:12', ip: '10.0.0.12/24', ...gwOpt });
await vm1.serveHttp(8080, 'backend vm1');
await vm2.serveHttp(8080, 'backend vm2');
if (V !== 'sym') await client.setNeighbour(VIP, '02:00:00:00:00:01');
console.log(JSON.stringify(await client.waitHttp('http://10.0.0.11:8080/', 20000)));
console.log(JSON.stringify(await client.waitHttp('http://10.0.0.12:8080/', 20000)));
const res = await client.httpGetMany(`http://${VIP}/`, 10, 1000);
console.log(JSON.stringify(res));
const res2 = await client.httpGetMany(`http://${VIP}:8080/`, 2, 1000);
console.log(JSON.stringify(res2));
writeFileSync('/tmp/explore/info-' + kind, JSON.stringify({ dir: env.dir, client: client.ns, ch: ch.netns, chdir: ch.dir }));
console.log('READY', env.dir, client.ns);
await new Promise((r) => setTimeout(r, Number(process.env.HOLD ?? 0)));
await env.teardown();
