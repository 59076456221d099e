// The generated row models must be up to date with the schemas, and follow
// the JS representation contract shared with src/ovsdb.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateAll, generateModel, typeName } from '../../scripts/gen-model.js';
import { NB_META, NB_TABLE_NAMES, type NbLogicalSwitchPort, type NbTables } from '../../src/model/nb.js';
import { SB_META, SB_TABLE_NAMES, type SbPortBinding } from '../../src/model/sb.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

describe('generated models', () => {
  it('are what `npm run gen:model` would write (run into a temp dir)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovnts-gen-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/gen-model.ts'), '--out', dir], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      for (const f of ['nb.ts', 'sb.ts']) {
        expect(readFileSync(join(dir, f), 'utf8'), `src/model/${f} is stale: run npm run gen:model`).toBe(
          readFileSync(join(ROOT, 'src/model', f), 'utf8'),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generation is deterministic and in-process equal', () => {
    const a = generateAll(ROOT);
    expect(a['nb.ts']).toBe(readFileSync(join(ROOT, 'src/model/nb.ts'), 'utf8'));
    expect(a['sb.ts']).toBe(readFileSync(join(ROOT, 'src/model/sb.ts'), 'utf8'));
  });

  it('names interfaces by the documented rule', () => {
    expect(typeName('Nb', 'Logical_Switch_Port')).toBe('NbLogicalSwitchPort');
    expect(typeName('Nb', 'ACL')).toBe('NbACL');
    expect(typeName('Nb', 'NB_Global')).toBe('NbNBGlobal');
    expect(typeName('Sb', 'HA_Chassis_Group')).toBe('SbHAChassisGroup');
    expect(typeName('Sb', 'Port_Binding')).toBe('SbPortBinding');
  });

  it('maps column types as agreed', () => {
    const schema = JSON.stringify({
      name: 'X',
      version: '1',
      tables: {
        T: {
          isRoot: true,
          indexes: [['a']],
          columns: {
            a: { type: 'string' },
            b: { type: { key: 'integer', min: 0, max: 1 } },
            c: { type: { key: 'real', min: 0, max: 'unlimited' } },
            d: { type: { key: 'string', value: 'integer', min: 0, max: 'unlimited' } },
            e: { type: { key: { type: 'string', enum: ['set', ['x', 'y']] } } },
            f: { type: { key: { type: 'string', enum: ['set', ['x', 'y']] }, min: 0, max: 1 } },
            g: { type: { key: { type: 'uuid', refTable: 'T', refType: 'weak' }, min: 0, max: 2 } },
            h: { type: 'boolean' },
            i: { type: { key: { type: 'string', enum: 'only' } } },
          },
        },
      },
    });
    const text = generateModel(schema, 'Nb', 'x.ovsschema');
    expect(text).toContain('readonly _uuid: string;');
    expect(text).toContain('readonly a: string;');
    expect(text).toContain('readonly b: number | undefined;');
    expect(text).toContain('readonly c: readonly number[];');
    expect(text).toContain('readonly d: Readonly<Record<string, number>>;');
    expect(text).toContain('readonly e: "x" | "y";');
    expect(text).toContain('readonly f: "x" | "y" | undefined;');
    expect(text).toContain('readonly g: readonly string[];');
    expect(text).toContain('readonly h: boolean;');
    expect(text).toContain('readonly i: "only";');
    expect(text).toContain('refs: [');
    expect(text).toContain('{ column: "g", side: "key", refTable: "T", refType: "weak" }');
  });

  it('exports metadata for every table', () => {
    expect(NB_TABLE_NAMES).toContain('Logical_Switch_Port');
    expect(SB_TABLE_NAMES).toContain('Port_Binding');
    expect(NB_META.name).toBe('OVN_Northbound');
    expect(SB_META.name).toBe('OVN_Southbound');
    const schemaNb = JSON.parse(readFileSync(join(ROOT, 'schemas/ovn-nb.ovsschema'), 'utf8')) as { tables: Record<string, { columns: object }>; version: string };
    expect(NB_META.version).toBe(schemaNb.version);
    expect([...NB_TABLE_NAMES].sort()).toEqual(Object.keys(schemaNb.tables).sort());
    for (const t of NB_TABLE_NAMES) {
      expect(NB_META.tables[t].columnNames).toEqual(Object.keys(schemaNb.tables[t]!.columns));
    }
    const lsp = NB_META.tables.Logical_Switch_Port;
    expect(lsp.isRoot).toBe(false);
    expect(lsp.indexes).toEqual([['name']]);
    expect(lsp.columns.addresses.kind).toBe('set');
    expect(lsp.columns.options.kind).toBe('map');
    expect(lsp.columns.tag.kind).toBe('optional');
    expect(lsp.columns.tag.type.key).toEqual({ type: 'integer', minInteger: 1, maxInteger: 4095 });
    expect(lsp.columns.name.kind).toBe('scalar');
    expect(lsp.refs).toContainEqual({ column: 'ha_chassis_group', side: 'key', refTable: 'HA_Chassis_Group', refType: 'strong' });
    expect(NB_META.tables.NB_Global.maxRows).toBe(1);
    expect(SB_META.tables.Port_Binding.columns.chassis.type.key.refType).toBe('weak');
    expect(SB_META.tables.Logical_Flow.columns.pipeline.type.key.enum).toEqual(['ingress', 'egress']);
    expect(SB_META.tables.Chassis.columns.encaps.type.max).toBe(Infinity);
  });

  it('row types compile with the agreed representation', () => {
    const lsp: NbLogicalSwitchPort = {
      _uuid: '00000000-0000-0000-0000-000000000001',
      name: 'p1',
      type: '',
      options: { 'router-port': 'r1' },
      parent_name: undefined,
      tag_request: undefined,
      tag: 5,
      addresses: ['00:00:00:00:00:01 10.0.0.1'],
      dynamic_addresses: undefined,
      port_security: [],
      up: true,
      enabled: undefined,
      dhcpv4_options: undefined,
      dhcpv6_options: undefined,
      mirror_rules: [],
      ha_chassis_group: undefined,
      external_ids: {},
    };
    const m: NbTables['Logical_Switch_Port'] = lsp;
    const pb: Pick<SbPortBinding, 'logical_port' | 'tunnel_key' | 'chassis' | 'mac'> = {
      logical_port: 'p1',
      tunnel_key: 1,
      chassis: undefined,
      mac: ['00:00:00:00:00:01'],
    };
    expect(m.name).toBe('p1');
    expect(pb.tunnel_key).toBe(1);
  });
});
