/**
 * OVN native DHCPv4: ovn-controller answers DHCP itself (pinctrl, `put_dhcp_opts`) from the
 * ls_in_dhcp_options / ls_in_dhcp_response flows northd writes for a port with dhcpv4_options.
 *
 *   vm1 02:00:00:01:00:10 (no IPv4 address) ─┐
 *   vm2 02:00:00:01:00:20 (no IPv4 address) ─┴─ ls1 ── lr1-ls1 [lr1]
 *                                                      10.0.1.1/24, 02:00:00:00:01:01
 *
 * DHCP_Options cidr=10.0.1.0/24 {server_id=10.0.1.1, server_mac=<lr1-ls1's MAC>, lease_time=3600,
 * router=10.0.1.1, dns_server={8.8.8.8}, mtu=1400, domain_name="ovn.test"} is set on ls1-vm1
 * only (lsp-set-dhcpv4-options); both LSPs have port security.
 *
 * The client is ISC dhclient in the VM's netns, one-shot (`-1`), in the foreground (`-d`, killed
 * once bound, so no daemon outlives the test), with its own config (`-cf`: short retransmission
 * intervals, a bounded `timeout`), lease file (`-lf`) and pidfile (`-pf`) in the environment's
 * temp dir, and a `-sf` script that only dumps its environment to a file per `$reason`: nothing on
 * the host (or in the netns) is configured by dhclient itself.
 *
 * - vm1 gets 10.0.1.10/255.255.255.0, router 10.0.1.1, lease 3600, dns 8.8.8.8, domain ovn.test,
 *   mtu 1400;
 * - the offer/ack come from server identifier 10.0.1.1;
 * - with the leased address and route configured, vm1 pings the router port 10.0.1.1 (ttl 254);
 * - vm2 (bound, up, but no dhcpv4_options) gets no lease, while vm1 gets one at the same time.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asArray, asMap, E2E, e2eSkipReason, northdKindFromEnv, sleep, type Vm } from './harness.js';
import { routerPort, vmPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const DHCLIENT = '/usr/sbin/dhclient';
const LRP_MAC = '02:00:00:00:01:01';
const VM1_MAC = '02:00:00:01:00:10';
const VM2_MAC = '02:00:00:01:00:20';

/** What one dhclient run produced. */
interface DhcpRun {
  /** The `$reason=BOUND` environment of the -sf script (new_* variables), if it was bound. */
  bound?: Record<string, string>;
  /** Exit status of dhclient; null if we killed it (after BOUND, or at our deadline). */
  code: number | null;
  /** We killed it at our deadline (neither bound nor exited by itself). */
  deadline: boolean;
  /** The lease file's content ('' if none). */
  leases: string;
  /** dhclient's -v output, for messages. */
  log: string;
}

let runCounter = 0;

/**
 * Runs `dhclient -d -1 -v -cf … -sf … -lf … -pf … <iface>` in `vm`'s netns; `timeoutS` is
 * dhclient's own `timeout` (it then exits with status 2). Resolves as soon as the -sf script has
 * seen BOUND (then dhclient is SIGKILLed: no DHCPRELEASE, no daemon left), or when dhclient
 * exits, or at `timeoutS + 6` s (SIGKILL).
 */
async function runDhclient(env: E2E, vm: Vm, timeoutS: number): Promise<DhcpRun> {
  const dir = path.join(env.dir, `dhclient-${vm.name}-${++runCounter}`);
  mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'script.sh');
  // dhclient gives the script its own environment (reason, interface, new_*, old_*, PATH).
  writeFileSync(script, `#!/bin/sh\nf="${dir}/env.$reason"\n/usr/bin/env > "$f.tmp" && mv "$f.tmp" "$f"\nexit 0\n`);
  chmodSync(script, 0o755);
  const conf = path.join(dir, 'dhclient.conf');
  writeFileSync(
    conf,
    [
      `timeout ${timeoutS};`,
      'initial-interval 1;',
      'backoff-cutoff 2;',
      'request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, interface-mtu;',
      '',
    ].join('\n'),
  );
  const leaseFile = path.join(dir, 'dhclient.leases');
  const boundFile = path.join(dir, 'env.BOUND');
  const child = env.spawnTracked('ip', [
    'netns', 'exec', vm.ns, DHCLIENT, '-d', '-1', '-v',
    '-cf', conf, '-sf', script, '-lf', leaseFile, '-pf', path.join(dir, 'dhclient.pid'), vm.ifname,
  ]);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  let code: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (c) => {
      code = c;
      resolve();
    });
    child.once('error', (e) => {
      log += `\nspawn error: ${e.message}`;
      code = -1;
      resolve();
    });
  });
  const deadlineAt = Date.now() + (timeoutS + 6) * 1000;
  let deadline = false;
  while (code === undefined && !existsSync(boundFile)) {
    if (Date.now() > deadlineAt) {
      deadline = true;
      break;
    }
    await sleep(100);
  }
  if (code === undefined) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(3000)]);
    code = null;
  }
  let bound: Record<string, string> | undefined;
  if (existsSync(boundFile)) {
    bound = {};
    for (const line of readFileSync(boundFile, 'utf8').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) bound[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  const leases = existsSync(leaseFile) ? readFileSync(leaseFile, 'utf8') : '';
  return { bound, code, deadline, leases, log: `dhclient in ${vm.name} (exit ${code}${deadline ? ', killed at deadline' : ''}):\n${log.trim()}` };
}

/** Prefix length of a dotted netmask (255.255.255.0 → 24), or undefined if not contiguous. */
function maskLen(mask: string | undefined): number | undefined {
  const parts = mask?.split('.').map(Number);
  if (!parts || parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return undefined;
  return bits.includes('0') ? bits.indexOf('0') : 32;
}

describe.skipIf(!!skip).sequential(`e2e native DHCPv4 (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vm1: Vm;
  let vm2: Vm;
  let lease: DhcpRun | undefined;

  beforeAll(async () => {
    env = await E2E.create({ label: 'dhcp' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'lr-add', 'lr1',
      ...routerPort('lr1', 'ls1', 'lr1-ls1', LRP_MAC, '10.0.1.1/24'),
      ...vmPort('ls1', 'ls1-vm1', VM1_MAC, '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vm2', VM2_MAC, '10.0.1.20'),
    ]);
    // dhcp-options-create takes CIDR [EXTERNAL_IDS]; the options are set separately.
    await env.nbctl(['dhcp-options-create', '10.0.1.0/24']);
    const uuids = (await env.nbctl(['dhcp-options-list'])).split('\n').filter(Boolean);
    expect(uuids, 'NB DHCP_Options rows').toHaveLength(1);
    await env.nbctl([
      'dhcp-options-set-options', uuids[0]!,
      'server_id=10.0.1.1',
      `server_mac=${LRP_MAC}`,
      'lease_time=3600',
      'router=10.0.1.1',
      'dns_server={8.8.8.8}',
      'mtu=1400',
      'domain_name="ovn.test"',
    ]);
    await env.nbctl(['lsp-set-dhcpv4-options', 'ls1-vm1', uuids[0]!]);
    // The fixture itself: exactly these options on vm1, none on vm2.
    const [opts] = await env.query('nb', 'DHCP_Options', { columns: ['cidr', 'options'] });
    expect(asMap(opts?.options)).toEqual({
      server_id: '10.0.1.1',
      server_mac: LRP_MAC,
      lease_time: '3600',
      router: '10.0.1.1',
      dns_server: '{8.8.8.8}',
      mtu: '1400',
      domain_name: '"ovn.test"',
    });
    expect(asArray((await env.lsp('ls1-vm1'))?.dhcpv4_options)).toEqual([uuids[0]]);
    expect(asArray((await env.lsp('ls1-vm2'))?.dhcpv4_options)).toEqual([]);
    const ch = await env.addChassis('node1');
    vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: VM1_MAC });
    vm2 = await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: VM2_MAC });
    // Sanity of the fixture itself: the VMs really start without an IPv4 address.
    for (const vm of [vm1, vm2]) {
      const r = await vm.exec('ip', ['-4', '-o', 'addr', 'show', 'dev', vm.ifname], { check: true });
      expect(r.stdout.trim(), `${vm.name} IPv4 addresses`).toBe('');
    }
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('dhclient in vm1 obtains 10.0.1.10/24, router 10.0.1.1, lease 3600, dns 8.8.8.8, domain ovn.test, mtu 1400', async () => {
    // No wait for the port binding first: dhclient retransmits every 1–2 s for up to 20 s.
    lease = await runDhclient(env, vm1, 20);
    const b = lease.bound;
    expect(b, `no BOUND: ${lease.log}`).toBeDefined();
    expect(b!.interface, lease.log).toBe(vm1.ifname);
    expect(b!.new_ip_address, lease.log).toBe('10.0.1.10');
    expect(b!.new_subnet_mask, lease.log).toBe('255.255.255.0');
    expect(b!.new_routers, lease.log).toBe('10.0.1.1');
    expect(b!.new_dhcp_lease_time, lease.log).toBe('3600');
    expect(b!.new_domain_name_servers, lease.log).toBe('8.8.8.8');
    expect(b!.new_domain_name, lease.log).toBe('ovn.test');
    expect(b!.new_interface_mtu, lease.log).toBe('1400');
    expect(lease.leases, lease.log).toMatch(/lease \{[^}]*fixed-address 10\.0\.1\.10;/);
  });

  it('the offer and the ack come from server identifier 10.0.1.1', async () => {
    expect(lease?.bound, `no BOUND: ${lease?.log ?? 'dhclient did not run'}`).toBeDefined();
    expect(lease!.bound!.new_dhcp_server_identifier, lease!.log).toBe('10.0.1.1');
    // dhclient -v names the IP source of the offer/ack packets too.
    expect(lease!.log).toMatch(/DHCPOFFER of 10\.0\.1\.10 from 10\.0\.1\.1\b/);
    expect(lease!.log).toMatch(/DHCPACK of 10\.0\.1\.10 from 10\.0\.1\.1\b/);
    expect(lease!.leases, lease!.log).toMatch(/option dhcp-server-identifier 10\.0\.1\.1;/);
  });

  it('with the leased address and route configured, vm1 pings the router port 10.0.1.1', async () => {
    const b = lease?.bound;
    expect(b, `no BOUND: ${lease?.log ?? 'dhclient did not run'}`).toBeDefined();
    const len = maskLen(b!.new_subnet_mask);
    expect(len, `subnet mask ${b!.new_subnet_mask}`).toBeDefined();
    await vm1.exec('ip', ['addr', 'add', `${b!.new_ip_address}/${len}`, 'dev', vm1.ifname], { check: true });
    if (b!.new_interface_mtu) await vm1.exec('ip', ['link', 'set', vm1.ifname, 'mtu', b!.new_interface_mtu], { check: true });
    await vm1.exec('ip', ['route', 'add', 'default', 'via', b!.new_routers!, 'dev', vm1.ifname], { check: true });
    const p = await waitPingTtl(vm1, '10.0.1.1', 10_000);
    // ttl 254: answered by the logical router itself (see router-distributed.test.ts).
    expect(p.ttl, p.output).toBe(254);
  });

  it('vm2 (bound, but without dhcpv4_options) gets no lease while vm1 gets one at the same time', async () => {
    // Positive preconditions: vm2's port is bound and up (so its DHCP requests do enter ls1) …
    await env.waitLspUp('ls1-vm2', 10_000);
    // … and DHCP on ls1 works during the very same interval (same client, same config).
    const [r1, r2] = await Promise.all([runDhclient(env, vm1, 6), runDhclient(env, vm2, 6)]);
    expect(r1.bound?.new_ip_address, `control: ${r1.log}`).toBe('10.0.1.10');
    // dhclient really tried in vm2, and gave up on its own (exit 2 after `timeout 6`).
    expect(r2.log).toMatch(/DHCPDISCOVER on \S+ to 255\.255\.255\.255/);
    expect(r2.bound, r2.log).toBeUndefined();
    expect(r2.log).not.toMatch(/DHCPOFFER of|DHCPACK of/);
    expect(r2.leases, r2.log).not.toMatch(/lease \{/);
    expect(r2.deadline, r2.log).toBe(false);
    expect(r2.code, r2.log).not.toBe(0);
    expect(r2.code, r2.log).not.toBeNull();
    const addrs = await vm2.exec('ip', ['-4', '-o', 'addr', 'show', 'dev', vm2.ifname], { check: true });
    expect(addrs.stdout.trim(), 'vm2 IPv4 addresses').toBe('');
  });
});
