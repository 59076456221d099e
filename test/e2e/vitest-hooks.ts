/**
 * Vitest glue for the e2e harness (kept apart so that harness.ts also works outside vitest,
 * e.g. from benchmarks or a tsx script).
 */
import { afterEach } from 'vitest';
import type { E2E } from './harness.js';

/**
 * Registers an afterEach hook (call inside a describe) that prints `env.diagnostics()` to stderr
 * when a test fails.
 */
export function installDiagnostics(getEnv: () => E2E | undefined): void {
  afterEach(async (ctx) => {
    const env = getEnv();
    if (env && ctx.task.result?.state === 'fail') {
      // eslint-disable-next-line no-console
      console.error(await env.diagnostics().catch((e: Error) => `diagnostics failed: ${e.message}`));
    }
  });
}

/**
 * Tears `env` down and then fails if any daemon it started had died before (a crashed northd,
 * ovn-controller or ovs-vswitchd must not go unnoticed). For afterAll.
 */
export async function teardownChecked(env: E2E | undefined): Promise<void> {
  if (!env) return;
  const dead = env.deadDaemons();
  await env.teardown();
  if (dead.length) throw new Error(`daemons died during the test: ${dead.join(', ')}`);
}
