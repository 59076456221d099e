// src/compile/stages.ts against northd.c's table and against the real
// ovn-northd 23.03.1's `ovn-sbctl lflow-list` output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LR_IN_ARP_REQUEST,
  LR_OUT_CHECK_DNAT_LOCAL,
  LR_OUT_DELIVERY,
  LS_IN_ARP_ND_RSP,
  LS_IN_CHECK_PORT_SEC,
  LS_IN_L2_UNKNOWN,
  LS_IN_PRE_LB,
  LS_OUT_APPLY_PORT_SEC,
  pipelineStages,
  STAGES,
  stageAt,
  stageById,
  stageByName,
  type DatapathKind,
  type Pipeline,
} from '../../src/compile/stages.js';
import { type OvnEnv, ovnToolsAvailable, startOvn } from './model-ovn-env.js';

describe('stage table', () => {
  it('has the 23.03.1 pipeline sizes', () => {
    expect(pipelineStages('switch', 'ingress')).toHaveLength(27);
    expect(pipelineStages('switch', 'egress')).toHaveLength(10);
    expect(pipelineStages('router', 'ingress')).toHaveLength(22);
    expect(pipelineStages('router', 'egress')).toHaveLength(7);
    expect(STAGES).toHaveLength(66);
    for (const dp of ['switch', 'router'] as const) {
      for (const p of ['ingress', 'egress'] as const) {
        expect(pipelineStages(dp, p).map((s) => s.table)).toEqual(pipelineStages(dp, p).map((_, i) => i));
      }
    }
    expect(new Set(STAGES.map((s) => s.name)).size).toBe(66);
  });
  it('looks stages up', () => {
    expect(LS_IN_PRE_LB).toMatchObject({ name: 'ls_in_pre_lb', table: 5, pipeline: 'ingress', datapath: 'switch' });
    expect(LS_IN_ARP_ND_RSP.name).toBe('ls_in_arp_rsp');
    expect(LS_IN_L2_UNKNOWN.table).toBe(26);
    expect(LS_OUT_APPLY_PORT_SEC.table).toBe(9);
    expect(LR_IN_ARP_REQUEST.table).toBe(21);
    expect(LR_OUT_CHECK_DNAT_LOCAL.name).toBe('lr_out_chk_dnat_local');
    expect(LR_OUT_DELIVERY.table).toBe(6);
    expect(stageByName('ls_in_check_port_sec')).toBe(LS_IN_CHECK_PORT_SEC);
    expect(stageById('S_SWITCH_IN_ARP_ND_RSP')).toBe(LS_IN_ARP_ND_RSP);
    expect(stageById('ROUTER_OUT_CHECK_DNAT_LOCAL')).toBe(LR_OUT_CHECK_DNAT_LOCAL);
    expect(stageAt('switch', 'ingress', 5)).toBe(LS_IN_PRE_LB);
    expect(stageAt('router', 'egress', 7)).toBeUndefined();
    expect(stageByName('nope')).toBeUndefined();
    expect(Object.isFrozen(LS_IN_PRE_LB)).toBe(true);
  });
});

describe.skipIf(!ovnToolsAvailable(true))('stage table vs the real ovn-northd 23.03.1', () => {
  let env: OvnEnv;
  beforeAll(() => {
    env = startOvn({ northd: true });
  });
  afterAll(() => env?.stop());

  it('matches every table printed by ovn-sbctl lflow-list', () => {
    env.nbctl('ls-add', 'sw0', '--', 'lsp-add', 'sw0', 'p1', '--', 'lsp-set-addresses', 'p1', '00:00:00:00:00:01 10.0.0.1');
    env.nbctl('lr-add', 'r0', '--', 'lrp-add', 'r0', 'r0-sw0', '00:00:00:00:ff:01', '10.0.0.254/24');
    env.nbctl('--wait=sb', 'sync');
    const out = env.sbctl('--dry-run', 'lflow-list');
    const seen = new Map<string, { datapath: DatapathKind; pipeline: Pipeline; table: number; name: string }>();
    let dp: DatapathKind | undefined;
    let pipeline: Pipeline | undefined;
    for (const line of out.split('\n')) {
      const h = /^Datapath: "([^"]+)" \([0-9a-f-]+\)\s+Pipeline: (ingress|egress)$/.exec(line);
      if (h) {
        dp = h[1] === 'sw0' ? 'switch' : 'router';
        pipeline = h[2] as Pipeline;
        continue;
      }
      const t = /^\s+table=(\d+)\s*\((\w+)\s*\)/.exec(line);
      if (t && dp && pipeline) {
        const table = Number(t[1]);
        seen.set(`${dp}/${pipeline}/${table}`, { datapath: dp, pipeline, table, name: t[2]! });
      }
    }
    // every stage has at least its default flow, so all 66 must show up
    expect(seen.size).toBe(66);
    for (const s of seen.values()) {
      const st = stageAt(s.datapath, s.pipeline, s.table);
      expect(st?.name, `${s.datapath} ${s.pipeline} table ${s.table}`).toBe(s.name);
    }
  });
});
