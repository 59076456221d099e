/**
 * OVN native DNS: ovn-controller answers DNS queries itself (pinctrl, `dns_lookup`) from the SB
 * DNS rows northd copies from the NB DNS rows a switch lists in `dns_records`
 * (ls_in_dns_lookup / ls_in_dns_response).
 *
 *   vm1 02:00:00:01:00:10 10.0.1.10 ─┐
 *   vm2 02:00:00:01:00:20 10.0.1.20 ─┴─ ls1 ── lr1-ls1 [lr1] 10.0.1.1/24, 02:00:00:00:01:01
 *
 * NB DNS {"vm2.ovn.test"="10.0.1.20", "web.ovn.test"="10.0.1.99 fd00::99", "Upper.OVN.test"="10.0.1.98"}
 * in ls1's dns_records.
 *
 * Case: in 23.03.1 the lookup is case-insensitive on the query side only. northd copies the
 * record names to SB DNS as written, and ovn-controller lower-cases the query name before looking
 * it up, so WEB.Ovn.Test finds "web.ovn.test" but a record written with capitals
 * ("Upper.OVN.test") is never answered, however it is asked for (measured with the reference
 * northd; a northd that lower-cased the SB keys, like later OVN releases, would answer it).
 *
 * The queries are plain UDP from a Python script in vm1's netns, sent to the router port
 * 10.0.1.1 (the VM's "DNS server", resolved by ARP like any on-link address): ls_in_dns_lookup
 * matches `udp.dst == 53` whatever the destination, ovn-controller answers in place (source and
 * destination swapped, so the answer comes from 10.0.1.1:53). A query it does not answer goes on
 * to the router, which has no DNS server: an ICMP port unreachable or nothing comes back, never a
 * DNS answer.
 *
 * - an A query for vm2.ovn.test gets 10.0.1.20 (and only that);
 * - WEB.Ovn.Test gets A 10.0.1.99 and AAAA fd00::99 (record web.ovn.test);
 * - a name not in the records gets no answer, while a listed name is answered at the same time;
 * - neither Upper.OVN.test nor upper.ovn.test is answered (see above), while a listed name is;
 * - once vm2.ovn.test is removed from the NB DNS row it is no longer answered (web still is).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E, e2eSkipReason, northdKindFromEnv, sleep, waitFor, type Vm } from './harness.js';
import { routerPort, vmPort } from './router-helpers.js';
import { installDiagnostics, teardownChecked } from './vitest-hooks.js';

const skip = e2eSkipReason();
const kind = northdKindFromEnv();

const LRP_MAC = '02:00:00:00:01:01';
const SERVER = '10.0.1.1';

/** What one query got: a DNS message from SERVER:53, or why not. */
interface DnsResult {
  /** 'answer': a DNS response with our id; 'timeout'; 'refused' (ICMP port unreachable); 'error'. */
  status: 'answer' | 'timeout' | 'refused' | 'error';
  rcode?: number;
  /** Answer records of the requested type, as text (A: dotted quad, AAAA: canonical IPv6). */
  answers?: { name: string; type: number; ttl: number; data: string }[];
  error?: string;
}

/**
 * A one-shot DNS client (stdlib only): argv = server, name, qtype (A/AAAA), timeout in s.
 * A connected UDP socket, so only datagrams from server:53 are received and an ICMP port
 * unreachable surfaces as ConnectionRefusedError. Prints one JSON line.
 */
const DNS_CLIENT = String.raw`
import json, random, socket, struct, sys
server, name, qtype, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
QT = {'A': 1, 'AAAA': 28}[qtype]
qid = random.randint(0, 0xffff)
q = struct.pack('!HHHHHH', qid, 0x0100, 1, 0, 0, 0)
q += b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\0' + struct.pack('!HH', QT, 1)
def rname(m, o):
    labels, jumped, end = [], False, o
    while True:
        n = m[o]
        if n & 0xc0 == 0xc0:
            if not jumped: end = o + 2
            o, jumped = ((n & 0x3f) << 8) | m[o + 1], True
            continue
        o += 1
        if n == 0: break
        labels.append(m[o:o + n].decode('latin-1')); o += n
    return '.'.join(labels), (end if jumped else o)
out = {}
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(timeout)
try:
    s.connect((server, 53))
    s.send(q)
    while True:
        m = s.recv(4096)
        if len(m) < 12: continue
        rid, flags, qd, an, ns, ar = struct.unpack('!HHHHHH', m[:12])
        if rid != qid or not flags & 0x8000: continue
        o = 12
        for _ in range(qd):
            _, o = rname(m, o); o += 4
        answers = []
        for _ in range(an):
            rn, o = rname(m, o)
            t, c, ttl, rdl = struct.unpack('!HHIH', m[o:o + 10]); o += 10
            rd = m[o:o + rdl]; o += rdl
            data = socket.inet_ntop(socket.AF_INET, rd) if t == 1 and rdl == 4 else (
                socket.inet_ntop(socket.AF_INET6, rd) if t == 28 and rdl == 16 else rd.hex())
            answers.append({'name': rn, 'type': t, 'ttl': ttl, 'data': data})
        out = {'status': 'answer', 'rcode': flags & 0xf, 'answers': answers}
        break
except socket.timeout:
    out = {'status': 'timeout'}
except ConnectionRefusedError:
    out = {'status': 'refused'}
except Exception as e:
    out = {'status': 'error', 'error': repr(e)}
print(json.dumps(out))
`;

/** One DNS query from `vm` to SERVER (bounded by `timeoutS`). Never throws. */
async function dnsQuery(vm: Vm, name: string, qtype: 'A' | 'AAAA', timeoutS = 1): Promise<DnsResult> {
  const r = await vm.exec('python3', ['-c', DNS_CLIENT, SERVER, name, qtype, String(timeoutS)], {
    timeoutMs: timeoutS * 1000 + 5000,
  });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as DnsResult;
  } catch {
    return { status: 'error', error: `client failed (exit ${r.code}): ${(r.stderr || r.stdout).slice(-300)}` };
  }
}

/** The data of the answers (sorted), or undefined if no DNS answer came back. */
function answerData(r: DnsResult): string[] | undefined {
  return r.status === 'answer' ? (r.answers ?? []).map((a) => a.data).sort() : undefined;
}

/** Queries until the answer data equal `want` (bounded); returns the last result for messages. */
async function waitAnswer(vm: Vm, name: string, qtype: 'A' | 'AAAA', want: string[], timeoutMs: number): Promise<DnsResult> {
  let last: DnsResult = { status: 'error', error: 'no query sent' };
  try {
    await waitFor(
      async () => {
        last = await dnsQuery(vm, name, qtype, 1);
        return JSON.stringify(answerData(last)) === JSON.stringify(want);
      },
      { timeoutMs, intervalMs: 100, what: `DNS ${qtype} ${name} → ${want.join(',')}` },
    );
  } catch {
    /* the caller's expect() reports `last` */
  }
  return last;
}

describe.skipIf(!!skip).sequential(`e2e native DNS (northd=${kind})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let env: E2E;
  let vm1: Vm;
  let dnsUuid: string;

  beforeAll(async () => {
    env = await E2E.create({ label: 'dns' });
    await env.startNorthd(kind);
    await env.nbctl([
      'ls-add', 'ls1',
      '--', 'lr-add', 'lr1',
      ...routerPort('lr1', 'ls1', 'lr1-ls1', LRP_MAC, '10.0.1.1/24'),
      ...vmPort('ls1', 'ls1-vm1', '02:00:00:01:00:10', '10.0.1.10'),
      ...vmPort('ls1', 'ls1-vm2', '02:00:00:01:00:20', '10.0.1.20'),
    ]);
    dnsUuid = await env.nbctl(['create', 'DNS', 'records={"vm2.ovn.test"="10.0.1.20", "web.ovn.test"="10.0.1.99 fd00::99", "Upper.OVN.test"="10.0.1.98"}']);
    await env.nbctl(['add', 'logical_switch', 'ls1', 'dns_records', dnsUuid]);
    // The fixture itself: one NB DNS row with exactly these records, listed by ls1.
    const rows = await env.query('nb', 'DNS', { columns: ['_uuid', 'records'] });
    expect(rows.map((r) => r._uuid)).toEqual([dnsUuid]);
    expect(rows[0]!.records).toEqual({ 'vm2.ovn.test': '10.0.1.20', 'web.ovn.test': '10.0.1.99 fd00::99', 'Upper.OVN.test': '10.0.1.98' });
    const ch = await env.addChassis('node1');
    vm1 = await ch.addVm('vm1', { lsp: 'ls1-vm1', mac: '02:00:00:01:00:10', ip: '10.0.1.10/24' });
    await ch.addVm('vm2', { lsp: 'ls1-vm2', mac: '02:00:00:01:00:20', ip: '10.0.1.20/24' });
  });

  installDiagnostics(() => env);
  afterAll(() => teardownChecked(env));

  it('an A query for vm2.ovn.test is answered with 10.0.1.20', async () => {
    const r = await waitAnswer(vm1, 'vm2.ovn.test', 'A', ['10.0.1.20'], 20_000);
    expect(answerData(r), JSON.stringify(r)).toEqual(['10.0.1.20']);
    expect(r.rcode, JSON.stringify(r)).toBe(0);
    expect(r.answers!.map((a) => [a.name.toLowerCase(), a.type]), JSON.stringify(r)).toEqual([['vm2.ovn.test', 1]]);
  });

  it('WEB.Ovn.Test (record web.ovn.test) is answered case-insensitively: A 10.0.1.99, AAAA fd00::99', async () => {
    const a = await waitAnswer(vm1, 'WEB.Ovn.Test', 'A', ['10.0.1.99'], 10_000);
    expect(answerData(a), JSON.stringify(a)).toEqual(['10.0.1.99']);
    expect(a.answers!.every((x) => x.type === 1), JSON.stringify(a)).toBe(true);
    const aaaa = await dnsQuery(vm1, 'WEB.Ovn.Test', 'AAAA', 2);
    expect(answerData(aaaa), JSON.stringify(aaaa)).toEqual(['fd00::99']);
    expect(aaaa.answers!.every((x) => x.type === 28), JSON.stringify(aaaa)).toBe(true);
  });

  it('a name that is not in the records gets no answer, while a listed name is answered meanwhile', async () => {
    const [unknown, control] = await Promise.all([
      dnsQuery(vm1, 'nope.ovn.test', 'A', 2),
      // Started a little later, still within the unknown query's wait.
      sleep(300).then(() => dnsQuery(vm1, 'vm2.ovn.test', 'A', 1)),
    ]);
    expect(answerData(control), `control: ${JSON.stringify(control)}`).toEqual(['10.0.1.20']);
    // Forwarded to the router, which has no DNS server: port unreachable (or nothing at all).
    expect(['timeout', 'refused'], JSON.stringify(unknown)).toContain(unknown.status);
  });

  it('a record written with capitals (Upper.OVN.test) is not answered, as asked or lower-cased (23.03.1)', async () => {
    const [asWritten, lower, control] = await Promise.all([
      dnsQuery(vm1, 'Upper.OVN.test', 'A', 2),
      sleep(100).then(() => dnsQuery(vm1, 'upper.ovn.test', 'A', 2)),
      sleep(300).then(() => dnsQuery(vm1, 'vm2.ovn.test', 'A', 1)),
    ]);
    expect(answerData(control), `control: ${JSON.stringify(control)}`).toEqual(['10.0.1.20']);
    expect(['timeout', 'refused'], `Upper.OVN.test: ${JSON.stringify(asWritten)}`).toContain(asWritten.status);
    expect(['timeout', 'refused'], `upper.ovn.test: ${JSON.stringify(lower)}`).toContain(lower.status);
  });

  it('after vm2.ovn.test is removed from the NB DNS row it is no longer answered (web.ovn.test still is)', async () => {
    // Precondition: answered right now.
    const before = await dnsQuery(vm1, 'vm2.ovn.test', 'A', 1);
    expect(answerData(before), `before removal: ${JSON.stringify(before)}`).toEqual(['10.0.1.20']);
    await env.nbctl(['remove', 'DNS', dnsUuid, 'records', 'vm2.ovn.test']);
    const [row] = await env.query('nb', 'DNS', { where: [['_uuid', '==', ['uuid', dnsUuid]]], columns: ['records'] });
    expect(row?.records).toEqual({ 'web.ovn.test': '10.0.1.99 fd00::99', 'Upper.OVN.test': '10.0.1.98' });
    let last: DnsResult | undefined;
    await waitFor(
      async () => {
        last = await dnsQuery(vm1, 'vm2.ovn.test', 'A', 1);
        return last.status !== 'answer';
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'vm2.ovn.test no longer answered' },
    ).catch(() => undefined);
    expect(['timeout', 'refused'], JSON.stringify(last)).toContain(last?.status);
    // Still not answered a moment later (not a lost packet), and the other record still is.
    const again = await dnsQuery(vm1, 'vm2.ovn.test', 'A', 1);
    expect(['timeout', 'refused'], JSON.stringify(again)).toContain(again.status);
    const web = await dnsQuery(vm1, 'web.ovn.test', 'A', 2);
    expect(answerData(web), `control: ${JSON.stringify(web)}`).toEqual(['10.0.1.99']);
  });
});
