// A full garbage collection on request, for the one moment it pays: right
// after a cold start's transaction (hundreds of MB of operations, now
// garbage) is sent, while the SB server spends seconds committing it and
// this process has nothing to do.  Collecting then lets the update the
// server sends back reuse that memory instead of raising the peak RSS.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full collection; false when the runtime does not allow it. */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
  return gc !== null;
}
