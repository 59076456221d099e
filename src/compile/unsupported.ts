// NB features the compiler does not implement yet, said out loud: a warning
// per feature in use (the daemon rate-limits it, `replay` prints it), never
// silence.  Each check reads whole tables only when they changed, so a run
// that touches none of them costs a few pointer comparisons.
import type { NbView, SbView } from './context.js';
import type { Diagnostic } from './context.js';

interface Check {
  readonly key: string;
  /** The tables the check reads; it runs again only when one of them is a new version. */
  readonly tables: (nb: NbView, sb: SbView) => readonly unknown[];
  /** The message when the feature is in use, undefined otherwise. */
  readonly inUse: (nb: NbView, sb: SbView) => string | undefined;
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

// Empty since IPAM allocation (the last one) landed; a feature not implemented yet gets its check here.
const CHECKS: readonly Check[] = [
];

/** One Compiler's checks, re-run only when their tables changed. */
export class UnsupportedFeatures {
  private readonly last = new Map<string, { tables: readonly unknown[]; diagnostic: Diagnostic | undefined }>();

  check(nb: NbView, sb: SbView, out: Diagnostic[]): void {
    for (const c of CHECKS) {
      const tables = c.tables(nb, sb);
      let m = this.last.get(c.key);
      if (!m || m.tables.length !== tables.length || m.tables.some((t, i) => t !== tables[i])) {
        const message = c.inUse(nb, sb);
        m = { tables, diagnostic: message === undefined ? undefined : { level: 'warn', key: c.key, message } };
        this.last.set(c.key, m);
      }
      if (m.diagnostic) out.push(m.diagnostic);
    }
  }
}
