// Per-process measurements from /proc, shared by the benchmarks.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times (USER_HZ). */
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim() || '100');

/** user+sys CPU ms of a live process, from /proc/PID/stat. */
export function procCpuMs(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state is 0, utime 11, stime 12.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** A "Key: N kB" line of /proc/PID/status (e.g. VmHWM, VmRSS), in kB. */
export function procStatusKb(pid: number, key: string): number | undefined {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
