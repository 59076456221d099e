/**
 * IPAM: northd assigns MACs and IPv4 addresses to "dynamic" switch ports (other_config:subnet,
 * exclude_ips, NB_Global options:mac_prefix), writes them into the NB (dynamic_addresses), and the
 * VMs, configured with exactly what northd wrote, then talk through OVN with them.
 *
 *   vm1  "dynamic"                   ─┐
 *   vm2  "dynamic"                   ─┤
 *   vm3  "0a:00:00:00:00:33 dynamic" ─┼─ ls1 ── lr1-ls1 [lr1] 10.0.5.1/24, 02:00:00:00:05:01
 *   ls1-static (no VM) 0a:00:00:00:00:99 10.0.5.10 … 10.0.5.18
 *
 * ls1: other_config:subnet=10.0.5.0/24, exclude_ips=10.0.5.1..10.0.5.9. The VMs' namespaces are
 * created only after northd has written dynamic_addresses, with that MAC and that IPv4/24.
 *
 * `ls1-static` (no VM) holds 10.0.5.10–.18, so that the first free addresses are .19, .20, .21:
 * widening exclude_ips to 10.0.5.1..10.0.5.19 then hits exactly one dynamic port, and the two
 * others must keep theirs (without it the three would sit at .10–.12 and all move).
 *
 * Which port gets which address depends on the ports' (random) uuids, so no check names fixed
 * per-port values; they assert rules that hold for the reference (23.03.1 ipam.c / build_ipam),
 * whatever the uuids, so that running this file against both daemons compares them:
 *  1. every dynamic port gets a MAC inside options:mac_prefix (vm3: its own MAC) and an IPv4 in
 *     10.0.5.0/24, outside exclude_ips, not the router's, not ls1-static's, all distinct; and, as
 *     the reference does it, the first free addresses in the order of the ports' uuids (the order
 *     of ls1's `ports` set), each dynamic MAC = prefix + (the IPv4's low 24 bits + 1);
 *  2. vm1 pings vm2 and vm3 at those addresses (L2 delivery to the dynamic MACs) and the router
 *     port 10.0.5.1 (ttl 254);
 *  3. exclude_ips=10.0.5.1..10.0.5.19: the port at .19 moves to the first address that is free
 *     outside the new range and not kept by another port, the others keep their IPv4, every port
 *     keeps its MAC; stable across a `--wait=sb sync`;
 *  4. `remove logical_switch ls1 other_config subnet`: with neither subnet, ipv6_prefix nor
 *     mac_only left, the reference clears dynamic_addresses altogether (it does not keep the MAC);
 *  5. other_config:mac_only=true: MAC-only dynamic_addresses (no IPv4): vm3 its own MAC, vm1/vm2
 *     prefix:00:00:01 and prefix:00:00:02 in uuid order (no IPv4 to derive them from).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asArray, asMap, E2E, e2eSkipReason, northdKindFromEnv, waitFor, type Chassis, type Vm } from './harness.js';
import { routerPort, waitPingTtl } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const LRP_MAC = '02:00:00:00:05:01';
const ROUTER_IP = '10.0.5.1';
const VM3_MAC = '0a:00:00:00:00:33';
const STATIC_MAC = '0a:00:00:00:00:99';
/** Last octets of ls1-static's addresses. */
const STATIC_OCTETS = [10, 11, 12, 13, 14, 15, 16, 17, 18];
const PORTS = ['vm1', 'vm2', 'vm3'] as const;
type PortName = (typeof PORTS)[number];

/** One port's NB state: its uuid and dynamic_addresses, split into MAC and IPv4s. */
interface Dyn {
  uuid: string;
  raw: string | undefined;
  mac: string | undefined;
  ips: string[];
}
type DynMap = Record<PortName, Dyn>;

/** Last octet of an address in 10.0.5.0/24, or undefined if it is not in that subnet. */
function octet(ip: string): number | undefined {
  const m = /^10\.0\.5\.(\d{1,3})$/.exec(ip);
  const n = m ? Number(m[1]) : NaN;
  return n >= 0 && n <= 255 ? n : undefined;
}

/** Last 24 bits of a MAC as a number. */
function macSuffix(mac: string): number {
  return Number.parseInt(mac.split(':').slice(3).join(''), 16);
}

/** `prefix` + a 24-bit suffix as a MAC. */
function macOf(prefix: string, suffix: number): string {
  const h = suffix.toString(16).padStart(6, '0');
  return `${prefix}:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

function show(d: Partial<DynMap>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, `${v?.uuid.slice(0, 8)} ${v?.raw ?? '(unset)'}`])));
}

describe.skipIf(!!skip).sequential(`e2e IPAM (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let ch: Chassis;
  /** What check 1 read (once every port had an IPv4), for the VMs of check 2. */
  let assigned: DynMap | undefined;

  /** vm1..vm3 as the NB has them now. */
  async function readDyn(): Promise<DynMap> {
    const rows = await env.query('nb', 'Logical_Switch_Port', { columns: ['_uuid', 'name', 'dynamic_addresses'] });
    const out = {} as DynMap;
    for (const p of PORTS) {
      const row = rows.find((r) => r.name === p);
      if (!row) throw new Error(`NB Logical_Switch_Port ${p} is missing`);
      const raw = asArray(row.dynamic_addresses)[0] as string | undefined;
      const toks = raw?.trim().split(/\s+/) ?? [];
      out[p] = { uuid: String(row._uuid), raw, mac: toks[0]?.toLowerCase(), ips: toks.slice(1) };
    }
    return out;
  }

  /** Polls `readDyn` until `ok` holds (bounded); the timeout message shows the last state. */
  async function waitDyn(ok: (d: DynMap) => boolean, what: string, timeoutMs = 10_000): Promise<DynMap> {
    return waitFor(
      async () => {
        const d = await readDyn();
        if (!ok(d)) throw new Error(`NB now: ${show(d)}`);
        return d;
      },
      { timeoutMs, intervalMs: 100, what },
    );
  }

  /** NB_Global options:mac_prefix (written by northd). */
  async function macPrefix(): Promise<string> {
    return waitFor(
      async () => {
        const [g] = await env.query('nb', 'NB_Global', { columns: ['options'] });
        return asMap(g?.options).mac_prefix;
      },
      { timeoutMs: 5000, intervalMs: 100, what: 'NB_Global options:mac_prefix' },
    );
  }

  /** PORTS sorted by uuid: the order of ls1's `ports` set, in which the reference assigns. */
  const byUuid = (d: DynMap): PortName[] => [...PORTS].sort((a, b) => (d[a].uuid < d[b].uuid ? -1 : d[a].uuid > d[b].uuid ? 1 : 0));

  beforeAll(async () => {
    env = await E2E.create({ label: 'ipam' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'set', 'logical_switch', 'ls1', 'other_config:subnet=10.0.5.0/24', 'other_config:exclude_ips=10.0.5.1..10.0.5.9',
      '--', 'lr-add', 'lr1',
      ...routerPort('lr1', 'ls1', 'lr1-ls1', LRP_MAC, `${ROUTER_IP}/24`),
      '--', 'lsp-add', 'ls1', 'ls1-static',
      '--', 'lsp-set-addresses', 'ls1-static', [STATIC_MAC, ...STATIC_OCTETS.map((o) => `10.0.5.${o}`)].join(' '),
      '--', 'lsp-add', 'ls1', 'vm1',
      '--', 'lsp-set-addresses', 'vm1', 'dynamic',
      '--', 'lsp-add', 'ls1', 'vm2',
      '--', 'lsp-set-addresses', 'vm2', 'dynamic',
      '--', 'lsp-add', 'ls1', 'vm3',
      '--', 'lsp-set-addresses', 'vm3', `${VM3_MAC} dynamic`,
    ]);
    // The fixture itself.
    const [ls] = await env.query('nb', 'Logical_Switch', { where: [['name', '==', 'ls1']], columns: ['other_config', 'ports'] });
    expect(asMap(ls?.other_config)).toEqual({ subnet: '10.0.5.0/24', exclude_ips: '10.0.5.1..10.0.5.9' });
    expect(asArray(ls?.ports)).toHaveLength(5);
    ch = await env.addChassis('node1');
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('1. northd writes dynamic_addresses: MAC in mac_prefix (vm3: its own), IPv4 in the subnet outside exclude_ips/router/static, distinct', async () => {
    const d = await waitDyn((x) => PORTS.every((p) => x[p].mac && x[p].ips.length), 'NB dynamic_addresses of vm1, vm2, vm3 with an IPv4');
    assigned = d;
    const prefix = (await macPrefix()).toLowerCase();
    const ctx = `mac_prefix ${prefix}, NB ${show(d)}`;
    expect(prefix, ctx).toMatch(/^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    for (const p of PORTS) {
      expect(d[p].mac, ctx).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      expect(d[p].ips, `${p}: exactly one IPv4; ${ctx}`).toHaveLength(1);
      const o = octet(d[p].ips[0]!);
      expect(o, `${p} IPv4 in 10.0.5.0/24; ${ctx}`).toBeDefined();
      expect(o!, `${p} not the network address, not excluded (.1–.9, includes the router's .1); ${ctx}`).toBeGreaterThanOrEqual(10);
      expect(o!, `${p} not the broadcast address; ${ctx}`).toBeLessThanOrEqual(254);
      expect(d[p].ips[0], ctx).not.toBe(ROUTER_IP);
      expect(STATIC_OCTETS, `${p} not one of ls1-static's addresses; ${ctx}`).not.toContain(o);
    }
    expect(d.vm3.mac, `vm3 keeps the MAC it was given; ${ctx}`).toBe(VM3_MAC);
    for (const p of ['vm1', 'vm2'] as const) {
      expect(d[p].mac!.slice(0, 8), `${p} MAC inside mac_prefix; ${ctx}`).toBe(prefix);
      expect([LRP_MAC, STATIC_MAC, VM3_MAC], ctx).not.toContain(d[p].mac);
    }
    expect(new Set(PORTS.map((p) => d[p].mac)).size, `distinct MACs; ${ctx}`).toBe(3);
    expect(new Set(PORTS.map((p) => d[p].ips[0])).size, `distinct IPv4s; ${ctx}`).toBe(3);
    // The reference's allocation: the first free addresses (.19, .20, .21), port by port in uuid
    // order, each dynamic MAC derived from its IPv4 (ipam_get_unused_mac: suffix = low 24 bits + 1).
    expect(byUuid(d).map((p) => d[p].ips[0]), `first free addresses in uuid order; ${ctx}`).toEqual(['10.0.5.19', '10.0.5.20', '10.0.5.21']);
    for (const p of ['vm1', 'vm2'] as const) {
      expect(macSuffix(d[p].mac!), `${p} MAC = prefix + (IPv4 low 24 bits + 1); ${ctx}`).toBe(((5 << 8) | octet(d[p].ips[0]!)!) + 1);
    }
  });

  it('2. VMs configured with those addresses: vm1 pings vm2, vm3 and the router port 10.0.5.1', async () => {
    expect(assigned, 'no dynamic_addresses from check 1').toBeDefined();
    const a = assigned!;
    const vms = {} as Record<PortName, Vm>;
    for (const p of PORTS) {
      vms[p] = await ch.addVm(p, { lsp: p, mac: a[p].mac!, ip: `${a[p].ips[0]}/24` });
    }
    const link = await vms.vm1.exec('ip', ['-o', 'link', 'show', 'dev', vms.vm1.ifname], { check: true });
    expect(link.stdout.toLowerCase()).toContain(a.vm1.mac);
    await vms.vm1.waitPing(vms.vm2.ip, 15_000);
    await vms.vm1.waitPing(vms.vm3.ip, 10_000);
    expect(await vms.vm2.pingOnce(vms.vm1.ip), `${vms.vm2.ip} → ${vms.vm1.ip}`).toBe(true);
    const r = await waitPingTtl(vms.vm1, ROUTER_IP, 10_000);
    // ttl 254: answered by the logical router itself (see router-distributed.test.ts).
    expect(r.ttl, r.output).toBe(254);
  });

  it('3. exclude_ips widened to .1–.19: the port at .19 moves outside it, the others keep their IPv4, all keep their MAC', async () => {
    const before = await readDyn();
    expect(PORTS.every((p) => before[p].ips.length), `precondition: every port has an IPv4; NB ${show(before)}`).toBe(true);
    const inNewRange = (ip: string | undefined): boolean => {
      const o = ip === undefined ? undefined : octet(ip);
      return o !== undefined && o >= 1 && o <= 19;
    };
    const affected = PORTS.filter((p) => inNewRange(before[p].ips[0]));
    // With ls1-static on .10–.18 exactly one port sits at .19 (and two are above it).
    expect(affected, `precondition: one port inside the new range; NB ${show(before)}`).toHaveLength(1);
    await env.nbctl(['set', 'logical_switch', 'ls1', 'other_config:exclude_ips="10.0.5.1..10.0.5.19"']);
    const after = await waitDyn(
      (x) => PORTS.every((p) => x[p].ips.length === 1 && !inNewRange(x[p].ips[0])),
      'every port with an IPv4 outside 10.0.5.1..10.0.5.19',
    );
    const ctx = `before ${show(before)}, after ${show(after)}`;
    for (const p of PORTS) {
      expect(after[p].mac, `${p} keeps its MAC; ${ctx}`).toBe(before[p].mac);
      const o = octet(after[p].ips[0]!);
      expect(o, `${p} IPv4 in 10.0.5.0/24; ${ctx}`).toBeDefined();
      expect(o!, ctx).toBeGreaterThanOrEqual(20);
      expect(o!, ctx).toBeLessThanOrEqual(254);
      if (!affected.includes(p)) expect(after[p].ips, `${p} (not in the new range) keeps its IPv4; ${ctx}`).toEqual(before[p].ips);
    }
    expect(new Set(PORTS.map((p) => after[p].ips[0])).size, `distinct IPv4s; ${ctx}`).toBe(3);
    // The reference: the first address free outside the new range and not kept by another port.
    const kept = PORTS.filter((p) => !affected.includes(p)).map((p) => octet(after[p].ips[0]!)!);
    let first = 20;
    while (kept.includes(first)) first++;
    expect(after[affected[0]!].ips, `${affected[0]} moves to the first free address; ${ctx}`).toEqual([`10.0.5.${first}`]);
    // Stable: nothing moves again once northd has caught up.
    await env.nbctl(['--wait=sb', 'sync'], { timeoutMs: 10_000 });
    const again = await readDyn();
    expect(PORTS.map((p) => again[p].raw), `stable after --wait=sb sync; ${ctx}`).toEqual(PORTS.map((p) => after[p].raw));
  });

  it('4. other_config:subnet removed: dynamic_addresses is cleared (the reference keeps neither IPv4 nor MAC)', async () => {
    const before = await readDyn();
    expect(PORTS.every((p) => before[p].mac && before[p].ips.length), `precondition: every port has a MAC and an IPv4; NB ${show(before)}`).toBe(true);
    await env.nbctl(['remove', 'logical_switch', 'ls1', 'other_config', 'subnet']);
    const [ls] = await env.query('nb', 'Logical_Switch', { where: [['name', '==', 'ls1']], columns: ['other_config'] });
    expect(asMap(ls?.other_config), 'fixture: no subnet, ipv6_prefix or mac_only left').toEqual({ exclude_ips: '10.0.5.1..10.0.5.19' });
    const after = await waitDyn((x) => PORTS.every((p) => x[p].ips.length === 0), 'no port with an IPv4 in dynamic_addresses');
    // build_ipam: a switch without subnet, ipv6_prefix and mac_only gets its ports'
    // dynamic_addresses cleared (set to nothing), MAC included.
    for (const p of PORTS) expect(after[p].raw, `${p} dynamic_addresses cleared; before ${show(before)}, after ${show(after)}`).toBeUndefined();
    await env.nbctl(['--wait=sb', 'sync'], { timeoutMs: 10_000 });
    const again = await readDyn();
    expect(PORTS.map((p) => again[p].raw), `still cleared after --wait=sb sync; NB ${show(again)}`).toEqual([undefined, undefined, undefined]);
  });

  it('5. other_config:mac_only=true: MAC-only dynamic_addresses (no IPv4), vm3 its own MAC', async () => {
    await env.nbctl(['set', 'logical_switch', 'ls1', 'other_config:mac_only=true']);
    const d = await waitDyn((x) => PORTS.every((p) => x[p].mac), 'NB dynamic_addresses of vm1, vm2, vm3 (MAC only)');
    const prefix = (await macPrefix()).toLowerCase();
    const ctx = `mac_prefix ${prefix}, NB ${show(d)}`;
    for (const p of PORTS) {
      expect(d[p].mac, ctx).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      expect(d[p].ips, `${p}: no IPv4; ${ctx}`).toEqual([]);
    }
    expect(d.vm3.mac, ctx).toBe(VM3_MAC);
    for (const p of ['vm1', 'vm2'] as const) expect(d[p].mac!.slice(0, 8), `${p} MAC inside mac_prefix; ${ctx}`).toBe(prefix);
    expect(new Set(PORTS.map((p) => d[p].mac)).size, `distinct MACs; ${ctx}`).toBe(3);
    // The reference: without an IPv4 the MAC search starts at suffix 1, ports in uuid order.
    const dynamicInOrder = byUuid(d).filter((p) => p !== 'vm3');
    expect(dynamicInOrder.map((p) => d[p].mac), `prefix:00:00:01, :02 in uuid order; ${ctx}`).toEqual([macOf(prefix, 1), macOf(prefix, 2)]);
  });
});
