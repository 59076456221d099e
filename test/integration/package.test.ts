// The npm package as a user gets it: `npm pack` (its prepack builds dist/; here dist/ is the
// build the suite runs, scripts/setup.sh made it, and is not rebuilt under the tests that use it) ships the daemon,
// its schemas and LICENSE but no test data; installed into an empty directory, the
// `ovn-northd-ts` command runs (--version, a replay of a reference snapshot) and the OVSDB
// client is importable as `ovn-northd-ts/ovsdb`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ovn-northd-ts-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sh = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] });

describe('npm package', () => {
  let tarball = '';

  it('packs the daemon, its schemas and LICENSE, and no test data', () => {
    const pkg = JSON.parse(sh('cat', ['package.json'], ROOT)) as { scripts: Record<string, string> };
    expect(pkg.scripts['prepack']).toBe('npm run build');
    sh('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', tmp], ROOT);
    tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
    const files = sh('tar', ['-tzf', tarball], tmp).split('\n').filter(Boolean);
    for (const f of ['package/bin/ovn-northd-ts.js', 'package/dist/bundle/main.mjs', 'package/dist/ovsdb/index.js', 'package/dist/ovsdb/index.d.ts', 'package/schemas/ovn-nb.ovsschema', 'package/schemas/ovn-sb.ovsschema', 'package/LICENSE', 'package/README.md']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^package\/(lflows|test|bench|scripts|src)\//.test(f))).toEqual([]);
  }, 300_000);

  it('installs into an empty directory and runs', () => {
    const app = join(tmp, 'app');
    sh('mkdir', ['-p', app], tmp);
    sh('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
    const bin = join(app, 'node_modules', '.bin', 'ovn-northd-ts');
    expect(sh(bin, ['--version'], app)).toMatch(/ovn-northd-ts/);
    // A reference snapshot replayed by the installed package: its flows, as the repository's own build prints them.
    const nb = join(ROOT, 'lflows', '002-one-switch', 'nb.db');
    const installed = sh(bin, ['replay', nb], app);
    expect(installed).toContain('Datapath:');
    expect(installed).toBe(sh('node', [join(ROOT, 'bin', 'ovn-northd-ts.js'), 'replay', nb], ROOT));
    // The OVSDB client is a library entry point.
    const keys = sh('node', ['--input-type=module', '-e', "const m = await import('ovn-northd-ts/ovsdb'); console.log(Object.keys(m).sort().join(','))"], app);
    expect(keys).toMatch(/OvsdbSession/);
  }, 300_000);
});
