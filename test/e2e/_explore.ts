import { E2E } from './harness.js';
import { writeFileSync } from 'node:fs';
const kind = (process.env.K ?? 'reference') as any;
const env = await E2E.create({ label: 'explore-' + kind });
await env.startNorthd(kind);
await env.nbctl([
  'ls-add', 'ls1',
  '--', 'lsp-add', 'ls1', 'ls1-client', '--', 'lsp-set-addresses', 'ls1-client', '02:00:00:00:00:10 10.0.0.10',
  '--', 'lsp-add', 'ls1', 'ls1-vm1', '--', 'lsp-set-addresses', 'ls1-vm1', '02:00:00:00:00:11 10.0.0.11',
  '--', 'lsp-add', 'ls1', 'ls1-vm2', '--', 'lsp-set-addresses', 'ls1-vm2', '02:00:00:00:00:12 10.0.0.12',
]);
await env.nbctl(['lb-add', 'lb1', '10.0.0.100:80', '10.0.0.11:8080,10.0.0.12:8080', 'tcp']);
await env.nbctl(['ls-lb-add', 'ls1', 'lb1']);
const ch = await env.addChassis('node1');
const client = await ch.addVm('client', { lsp: 'ls1-client', mac: '02:00:00:00:00:10', ip: '10.0.0.10/24' });
const vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:00:00:00:00:11', ip: '10.0.0.11/24' });
const vm2 = await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:00:00:00:00:12', ip: '10.0.0.12/24' });
await vm1.serveHttp(8080, 'backend vm1');
await vm2.serveHttp(8080, 'backend vm2');
await client.setNeighbour('10.0.0.100', process.env.NMAC ?? '02:00:00:00:00:11');
console.log(JSON.stringify(await client.waitHttp('http://10.0.0.11:8080/', 20000)));
console.log(JSON.stringify(await client.waitHttp('http://10.0.0.12:8080/', 20000)));
const res = await client.httpGetMany('http://10.0.0.100/', 10, 1000);
console.log(JSON.stringify(res));
writeFileSync('/tmp/explore/info-' + kind, JSON.stringify({ dir: env.dir, client: client.ns, vm1: vm1.ns, ch: ch.netns, chdir: ch.dir }));
console.log('READY', env.dir, client.ns);
await new Promise((r) => setTimeout(r, Number(process.env.HOLD ?? 0)));
await env.teardown();
