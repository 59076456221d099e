import { describe, expect, it } from 'vitest';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import { makeContext, type NbView, type SbView } from '../../src/compile/context.js';
import {
  desiredSbLoadBalancers,
  loadBalancersOfSwitch,
  resolveLoadBalancers,
  selectionFieldsString,
  smapGetUint,
} from '../../src/compile/lb/index.js';

type WireRows = Record<string, Record<string, Record<string, unknown>>>;
const map = (o: Record<string, string>): unknown => ['map', Object.entries(o)];
const set = (...uuids: string[]): unknown => ['set', uuids.map((u) => ['uuid', u])];

const LB1 = '11111111-0000-0000-0000-000000000001';
const LB2 = '22222222-0000-0000-0000-000000000002';
const LB3 = '33333333-0000-0000-0000-000000000003';
const G1 = '99999999-0000-0000-0000-000000000009';
const SW0 = 'aaaaaaaa-0000-0000-0000-00000000000a';
const SW1 = 'bbbbbbbb-0000-0000-0000-00000000000b';
const LR0 = 'cccccccc-0000-0000-0000-00000000000c';
const LR1 = 'dddddddd-0000-0000-0000-00000000000d';

function ctxOf(rows: WireRows) {
  const nb = viewFromWireTables(bundledSchema('nb'), rows) as unknown as NbView;
  const sb = viewFromWireTables(bundledSchema('sb'), {}) as unknown as SbView;
  return makeContext({ nb, sb });
}

const base: WireRows = {
  Load_Balancer: {
    [LB1]: {
      name: 'lb1',
      protocol: 'udp',
      vips: map({ '10.0.0.10:80': '10.0.0.3:80,10.0.0.4:80', '[fd00::1]:53': '[fd00::3]:53', 'bad:80': '1.1.1.1:80' }),
      selection_fields: ['set', ['ip_src', 'tp_dst']],
      options: map({ reject: 'true', affinity_timeout: '70000', neighbor_responder: 'bogus' }),
    },
    [LB2]: { name: 'lb2', vips: map({ '10.0.0.20': '' }), options: map({ event: 'true', skip_snat: 'true' }) },
    [LB3]: { name: 'lb3', protocol: 'tcp', vips: map({ '1.2.3.4:80': '5.6.7.8:80' }) },
  },
  Load_Balancer_Group: { [G1]: { name: 'g1', load_balancer: set(LB2, LB3) } },
  Logical_Switch: {
    [SW0]: { name: 'sw0', load_balancer: set(LB1), load_balancer_group: set(G1) },
    [SW1]: { name: 'sw1', load_balancer_group: set(G1) },
  },
  Logical_Router: {
    [LR0]: { name: 'lr0', load_balancer: set(LB1) },
    [LR1]: { name: 'lr1', load_balancer: set(LB3), enabled: false },
  },
};

describe('resolveLoadBalancers', () => {
  const ctx = ctxOf(base);
  const lbs = resolveLoadBalancers(ctx);

  it('parses VIPs, skipping bad ones with the reference warning', () => {
    const lb1 = lbs.get(LB1)!;
    expect(lb1.vips.map((v) => v.vipStr).sort()).toEqual(['10.0.0.10', 'fd00::1']);
    expect(lb1.ipsV4).toEqual(['10.0.0.10']);
    expect(lb1.ipsV6).toEqual(['fd00::1']);
    expect(lb1.vips.every((v) => v.emptyBackendReject)).toBe(true);
    expect(ctx.diagnostics.map((d) => d.message)).toContain(
      'Failed to initialize LB VIP: bad:80: should be an IP address (or an IP address and a port number with : as a separator).',
    );
  });

  it('reads options like the reference', () => {
    const lb1 = lbs.get(LB1)!;
    expect(lb1.proto).toBe('udp');
    expect(lb1.affinityTimeout).toBe(65535);
    expect(lb1.neighborResponder).toBe('reachable');
    expect(lb1.selectionFields).toBe('ip_src,udp_dst');
    const lb2 = lbs.get(LB2)!;
    expect(lb2.proto).toBe('tcp');
    expect(lb2.controllerEvent).toBe(true);
    expect(lb2.skipSnat).toBe(true);
    expect(ctx.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        'max affinity_timeout timeout value is 65535',
        `Invalid neighbor responder mode bogus for load balancer ${LB1}, forcing it to reachable`,
      ]),
    );
  });

  it('applies LBs to switches directly and through groups; disabled routers do not count', () => {
    expect(lbs.get(LB1)!.switches).toEqual([SW0]);
    expect(lbs.get(LB2)!.switches).toEqual([SW0, SW1]);
    expect(lbs.get(LB1)!.routers).toEqual([LR0]);
    expect(lbs.get(LB3)!.routers).toEqual([]);
    expect(loadBalancersOfSwitch(lbs, SW1).map((l) => l.nb.name).sort()).toEqual(['lb2', 'lb3']);
  });

  it('describes SB Load_Balancer rows as sync_lbs writes them', () => {
    const sb = desiredSbLoadBalancers(lbs);
    expect([...sb.keys()].sort()).toEqual([LB1, LB2, LB3]);
    const row = sb.get(LB1)!;
    expect(row).toMatchObject({
      name: 'lb1',
      protocol: 'udp',
      external_ids: { lb_id: LB1 },
      datapaths: [SW0],
      options: { reject: 'true', affinity_timeout: '70000', neighbor_responder: 'bogus', hairpin_orig_tuple: 'true' },
    });
    // The NB vips map is copied as written, bad VIPs included.
    expect(Object.keys(row.vips)).toContain('bad:80');
    expect(sb.get(LB2)!.protocol).toBeUndefined();
  });

  it('skips LBs applied to no switch', () => {
    const ctx2 = ctxOf({ ...base, Logical_Switch: {} });
    expect(desiredSbLoadBalancers(resolveLoadBalancers(ctx2)).size).toBe(0);
  });
});

describe('LB helpers', () => {
  it('selectionFieldsString keeps tp_* without a protocol', () => {
    expect(selectionFieldsString({ protocol: undefined, selection_fields: ['tp_src', 'eth_dst'] })).toBe('tp_src,eth_dst');
    expect(selectionFieldsString({ protocol: 'sctp', selection_fields: ['tp_src'] })).toBe('sctp_src');
    expect(selectionFieldsString({ protocol: 'tcp', selection_fields: [] })).toBeUndefined();
  });

  it('smapGetUint is strtoll-lenient and falls back to the default', () => {
    expect(smapGetUint({ a: ' +30' }, 'a', 0)).toBe(30);
    expect(smapGetUint({ a: '30s' }, 'a', 7)).toBe(7);
    expect(smapGetUint({ a: '-1' }, 'a', 7)).toBe(7);
    expect(smapGetUint({}, 'a', 7)).toBe(7);
  });
});
