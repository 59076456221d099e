/**
 * Process helpers for the e2e harness: bounded command execution and bounded waits.
 *
 * Every helper here has a timeout. Nothing in the e2e suite may wait forever: a northd that
 * does nothing must make every check fail cleanly, in bounded time.
 */
import { execFile, execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export interface RunOptions {
  /** Kill the command (SIGKILL) after this many ms. Default 10 s. */
  timeoutMs?: number;
  /** The complete environment of the command (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Working directory. */
  cwd?: string;
  /** Do not throw on a non-zero exit status / timeout; return the result instead. */
  allowFail?: boolean;
}

export interface RunResult {
  /** Exit status; null when killed by a signal (e.g. on timeout). */
  code: number | null;
  /** The signal that ended the command, if any. */
  signal?: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export class CommandError extends Error {
  constructor(
    readonly cmd: string,
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    const why = result.timedOut
      ? 'timed out'
      : result.signal
        ? `was killed by ${result.signal}`
        : `exited with status ${result.code}`;
    super(
      `command ${why}: ${[cmd, ...args].map(quote).join(' ')}\n` +
        (result.stderr.trim() ? `stderr: ${tail(result.stderr, 1500)}\n` : '') +
        (result.stdout.trim() ? `stdout: ${tail(result.stdout, 1500)}` : ''),
    );
    this.name = 'CommandError';
  }
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function tail(s: string, max: number): string {
  return s.length <= max ? s.trimEnd() : `…${s.slice(s.length - max).trimEnd()}`;
}

/** Runs a command with a hard timeout; throws CommandError on failure unless `allowFail`. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string }) | null;
        const result: RunResult = {
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? '') + (e && typeof e.code === 'string' ? `\n${e.message}` : ''),
          signal: e?.signal ?? undefined,
          timedOut: !!(e && e.killed && e.signal === 'SIGKILL'),
        };
        if (e && !opts.allowFail) reject(new CommandError(cmd, args, result));
        else resolve(result);
      },
    );
  });
}

/** Synchronous best-effort variant, used only from the process 'exit' hook. */
export function runSyncQuiet(cmd: string, args: readonly string[], timeoutMs = 3000): void {
  try {
    execFileSync(cmd, args, { timeout: timeoutMs, stdio: 'ignore', killSignal: 'SIGKILL' });
  } catch {
    /* best effort */
  }
}

export interface WaitOptions {
  /** Give up after this many ms (required: every wait is bounded). */
  timeoutMs: number;
  /** Poll interval. Default 100 ms. */
  intervalMs?: number;
  /** What we are waiting for, for the error message. */
  what?: string;
}

export class WaitTimeoutError extends Error {
  constructor(what: string, ms: number, last: unknown) {
    const lastText =
      last instanceof Error ? last.message : last === undefined ? '' : JSON.stringify(last)?.slice(0, 800);
    super(`timed out after ${ms} ms waiting for ${what}${lastText ? `; last: ${lastText}` : ''}`);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned) or the timeout expires
 * (then throws WaitTimeoutError, mentioning the last falsy value or error seen).
 * A predicate that throws counts as "not yet". Each predicate call should itself be bounded.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  opts: WaitOptions | number,
): Promise<NonNullable<T>> {
  const o: WaitOptions = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const interval = o.intervalMs ?? 100;
  const deadline = Date.now() + o.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(o.what ?? 'condition', o.timeoutMs, last);
    await sleep(Math.min(interval, left));
  }
}

/** True if the process exists (signal 0). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
