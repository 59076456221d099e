import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from '../../src/daemon/rate-limit.js';

describe('rate-limited warnings', () => {
  it('lets a burst through per key and window, then reports how many were suppressed', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog({ warn: (m: string) => void lines.push(m) } as never, 2, 1000, () => now);
    for (let i = 0; i < 5; i++) log.warn('bad-mac', `bad mac ${i}`);
    log.warn('other', 'other key');
    expect(lines).toEqual(['bad mac 0', 'bad mac 1', 'other key']);
    now = 1000;
    log.warn('bad-mac', 'bad mac again');
    expect(lines.at(-1)).toBe('bad mac again (3 similar messages suppressed)');
  });
});
