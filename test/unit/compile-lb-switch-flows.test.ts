import { describe, expect, it } from 'vitest';
import { bundledSchema, viewFromWireTables } from '../../src/replay/load.js';
import { makeContext, type NbView, type SbView } from '../../src/compile/context.js';
import { loadBalancersOfSwitch, resolveLoadBalancers } from '../../src/compile/lb/index.js';
import { buildSwitchStatefulFlows } from '../../src/compile/switch/stateful-index.js';
import { emptyLbEvent, lbVipSwitchAction } from '../../src/compile/switch/stateful-lb.js';

type WireRows = Record<string, Record<string, Record<string, unknown>>>;
const map = (o: Record<string, string>): unknown => ['map', Object.entries(o)];
const set = (...uuids: string[]): unknown => ['set', uuids.map((u) => ['uuid', u])];

const LB = '68f94dd5-4c3f-440f-ae03-a73fbea4655a';
const SW = 'aaaaaaaa-0000-0000-0000-00000000000a';
const COPP = 'cccccccc-0000-0000-0000-00000000000c';
const METER = 'dddddddd-0000-0000-0000-00000000000d';

function setup(opts: { event?: boolean; copp?: boolean; oldChassis?: boolean; lbOptions?: Record<string, string> }) {
  const rows: WireRows = {
    NB_Global: { 'eeeeeeee-0000-0000-0000-00000000000e': { options: map(opts.event ? { controller_event: 'true' } : {}) } },
    Load_Balancer: {
      [LB]: {
        name: 'lb',
        protocol: 'tcp',
        vips: map({ '10.0.0.30:80': '', '[fd00::30]:81': '', '10.0.0.10:80': '10.0.0.3:80,10.0.0.4:8080' }),
        options: map(opts.lbOptions ?? {}),
      },
    },
    Logical_Switch: {
      [SW]: { name: 'sw0', load_balancer: set(LB), ...(opts.copp ? { copp: ['uuid', COPP] } : {}) },
    },
    Meter: { [METER]: { name: 'event-elb', unit: 'pktps' } },
    Copp: { [COPP]: { name: 'cp', meters: map({ 'event-elb': 'event-elb', reject: 'event-elb' }) } },
  };
  const nb = viewFromWireTables(bundledSchema('nb'), rows) as unknown as NbView;
  const sbRows: WireRows = opts.oldChassis ? { Chassis: { 'ffffffff-0000-0000-0000-00000000000f': { name: 'ch1' } } } : {};
  const sb = viewFromWireTables(bundledSchema('sb'), sbRows) as unknown as SbView;
  const ctx = makeContext({ nb, sb });
  const lbs = resolveLoadBalancers(ctx);
  const sw = nb.Logical_Switch.get(SW)!;
  return { ctx, lb: lbs.get(LB)!, flows: buildSwitchStatefulFlows(ctx, sw, loadBalancersOfSwitch(lbs, SW)) };
}

describe('empty-backend controller events', () => {
  it('are off unless NB_Global controller_event or LB options:event', () => {
    const { flows } = setup({});
    expect(flows.filter((f) => f.stage.name === 'ls_in_pre_lb' && f.priority === 130)).toEqual([]);
    const withLbOpt = setup({ lbOptions: { event: 'true' } });
    expect(withLbOpt.flows.filter((f) => f.priority === 130)).toHaveLength(2);
  });

  it('render like the reference, metered only through the switch CoPP', () => {
    const { ctx, lb } = setup({ event: true });
    const v6 = lb.vips.find((v) => v.vipStr === 'fd00::30')!;
    expect(emptyLbEvent(ctx, lb, v6)).toEqual({
      match: 'ip6.dst == fd00::30 && tcp && tcp.dst == 81',
      actions: `trigger_event(event = "empty_lb_backends", vip = "[fd00::30]:81", protocol = "tcp", load_balancer = "${LB}");`,
    });
    const noCopp = setup({ event: true }).flows.filter((f) => f.priority === 130);
    expect(noCopp.every((f) => f.meter === undefined)).toBe(true);
    const copp = setup({ event: true, copp: true }).flows.filter((f) => f.priority === 130);
    expect(copp.map((f) => f.meter)).toEqual(['event-elb', 'event-elb']);
  });

  it('are replaced by reject with options:reject', () => {
    const { ctx, lb, flows } = setup({ event: true, copp: true, lbOptions: { reject: 'true' } });
    expect(flows.filter((f) => f.priority === 130)).toEqual([]);
    const v4 = lb.vips.find((v) => v.vipStr === '10.0.0.30')!;
    expect(lbVipSwitchAction(ctx, lb, v4)).toEqual({
      actions: 'reg0 = 0; reject { outport <-> inport; next(pipeline=egress,table=5);};',
      reject: true,
    });
    const rej = flows.find((f) => f.stage.name === 'ls_in_lb' && f.match === 'ct.new && ip4.dst == 10.0.0.30 && tcp.dst == 80');
    expect(rej?.meter).toBe('event-elb');
  });
});

describe('ls_in_lb', () => {
  it('uses ct_lb_mark or ct_lb by chassis features and the NB backends as written', () => {
    const find = (flows: ReturnType<typeof setup>['flows']) =>
      flows.find((f) => f.stage.name === 'ls_in_lb' && f.match === 'ct.new && ip4.dst == 10.0.0.10 && tcp.dst == 80');
    expect(find(setup({}).flows)?.actions).toBe('reg0[1] = 0; ct_lb_mark(backends=10.0.0.3:80,10.0.0.4:8080);');
    expect(find(setup({ oldChassis: true }).flows)?.actions).toBe('reg0[1] = 0; ct_lb(backends=10.0.0.3:80,10.0.0.4:8080);');
    const drop = setup({}).flows.find((f) => f.match === 'ct.new && ip4.dst == 10.0.0.30 && tcp.dst == 80');
    expect(drop?.actions).toBe('drop;');
  });

  it('adds affinity flows with options:affinity_timeout', () => {
    const { flows } = setup({ lbOptions: { affinity_timeout: '60' } });
    const learn = flows.filter((f) => f.stage.name === 'ls_in_lb_aff_learn' && f.priority === 100).map((f) => f.actions);
    expect(learn).toContain(
      'commit_lb_aff(vip = "10.0.0.10:80", backend = "10.0.0.4:8080", proto = tcp, timeout = 60); /* drop */',
    );
    const aff = flows.filter((f) => f.stage.name === 'ls_in_lb' && f.priority === 150).map((f) => f.match);
    expect(aff).toContain('reg9[6] == 1 && ct.new && ip4 && reg4 == 10.0.0.4 && reg8[0..15] == 8080');
  });
});
