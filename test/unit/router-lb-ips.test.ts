// RouterLbIps: a router's LB VIP addresses follow every change that reaches them
// (its LB columns, a group's members, an LB's vips) and nothing else.
import { describe, expect, it } from 'vitest';
import { RouterLbIps, vipKeyIp } from '../../src/compile/router-lb-ips.js';
import { ShardedMap } from '../../src/replica/sharded-map.js';
import type { NbLoadBalancer, NbLoadBalancerGroup, NbLogicalRouter } from '../../src/model/nb.js';

const lb = (uuid: string, vips: Record<string, string>) => ({ _uuid: uuid, vips }) as unknown as NbLoadBalancer;
const group = (uuid: string, lbs: string[]) => ({ _uuid: uuid, load_balancer: lbs }) as unknown as NbLoadBalancerGroup;
const router = (uuid: string, lbs: string[], groups: string[]) => ({ _uuid: uuid, load_balancer: lbs, load_balancer_group: groups }) as unknown as NbLogicalRouter;

describe('router LB addresses', () => {
  it('parse VIP keys like the reference (port and brackets dropped, IPv6 normalised)', () => {
    expect(vipKeyIp('10.0.0.10:80')).toEqual({ ip: '10.0.0.10', v6: false });
    expect(vipKeyIp('[fd00::0001]:80')).toEqual({ ip: 'fd00::1', v6: true });
    expect(vipKeyIp('nonsense')).toBeUndefined();
  });

  it('are recomputed when a member LB, a group or the router row changes, and kept otherwise', () => {
    let lbs = ShardedMap.from([['a', lb('a', { '10.0.0.1:80': 'x' })], ['b', lb('b', { '[fd00::2]:80': 'y', '10.0.0.2': 'z' })], ['c', lb('c', { '10.0.0.3:80': '' })]]);
    let groups = ShardedMap.from([['g', group('g', ['b'])]]);
    const r = new RouterLbIps();
    const lr = router('r', ['a'], ['g']);
    r.begin({ Load_Balancer: lbs, Load_Balancer_Group: groups });
    const first = r.get(lr);
    // Its LBs' VIPs answer ARP/ND where a router network holds them (the default neighbor_responder).
    expect(first).toEqual({ v4: ['10.0.0.1', '10.0.0.2'], v6: ['fd00::2'], respondAll: [], respondReachable: ['10.0.0.1', '10.0.0.2', 'fd00::2'] });

    // An LB the router does not use: same object.
    lbs = lbs.edit().set('c', lb('c', { '10.0.0.33:80': '' })).finish();
    r.begin({ Load_Balancer: lbs, Load_Balancer_Group: groups });
    expect(r.get(lr)).toBe(first);

    // A VIP added to an LB of its group.
    lbs = lbs.edit().set('b', lb('b', { '[fd00::2]:80': 'y', '10.0.0.2': 'z', '10.0.0.4:8080': 'w' })).finish();
    r.begin({ Load_Balancer: lbs, Load_Balancer_Group: groups });
    const second = r.get(lr);
    expect({ v4: second.v4, v6: second.v6 }).toEqual({ v4: ['10.0.0.1', '10.0.0.2', '10.0.0.4'], v6: ['fd00::2'] });

    // The group gains an LB.
    groups = groups.edit().set('g', group('g', ['b', 'c'])).finish();
    r.begin({ Load_Balancer: lbs, Load_Balancer_Group: groups });
    expect(r.get(lr).v4).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.4', '10.0.0.33']);

    // The router row drops its direct LB.
    r.begin({ Load_Balancer: lbs, Load_Balancer_Group: groups });
    expect(r.get(router('r', [], ['g'])).v4).toEqual(['10.0.0.2', '10.0.0.4', '10.0.0.33']);
  });

  it('sort VIPs by options:neighbor_responder: all, reachable (the default and an invalid mode), none; templates default to none', () => {
    const withOpts = (uuid: string, vip: string, options: Record<string, string>) => ({ _uuid: uuid, vips: { [vip]: 'x' }, options }) as unknown as NbLoadBalancer;
    const lbs = ShardedMap.from([
      ['a', withOpts('a', '10.0.0.1:80', { neighbor_responder: 'all' })],
      ['b', withOpts('b', '10.0.0.2:80', { neighbor_responder: 'none' })],
      ['c', withOpts('c', '10.0.0.3:80', { neighbor_responder: 'bogus' })],
      ['d', withOpts('d', '10.0.0.4:80', { template: 'true' })],
      ['e', withOpts('e', '10.0.0.5:80', {})],
    ]);
    const r = new RouterLbIps();
    r.begin({ Load_Balancer: lbs, Load_Balancer_Group: ShardedMap.from([]) });
    const ips = r.get(router('r', ['a', 'b', 'c', 'd', 'e'], []));
    expect(ips.respondAll).toEqual(['10.0.0.1']);
    expect(ips.respondReachable).toEqual(['10.0.0.3', '10.0.0.5']);
  });
});
