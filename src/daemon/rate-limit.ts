// Rate-limited warnings, like OVS's VLOG_WARN_RL: at most `burst` messages
// per key in each `intervalMs` window; the number suppressed is reported
// with the next message that gets through.
import type { Logger } from 'pino';

export class RateLimitedLog {
  private readonly windows = new Map<string, { start: number; count: number; suppressed: number }>();

  constructor(
    private readonly log: Pick<Logger, 'warn'>,
    private readonly burst: number,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns true when the message was logged. */
  warn(key: string, message: string): boolean {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.intervalMs) {
      const suppressed = w?.suppressed ?? 0;
      w = { start: t, count: 0, suppressed: 0 };
      this.windows.set(key, w);
      if (suppressed) message += ` (${suppressed} similar messages suppressed)`;
    }
    if (w.count >= this.burst) {
      w.suppressed++;
      return false;
    }
    w.count++;
    this.log.warn(message);
    return true;
  }
}
