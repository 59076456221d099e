// A compile context whose NB reads and derived lookups are recorded as a
// unit's dependencies (see deps.ts); every unit family builds its flows
// through one.
import { deriveContext, type CompileContext, type Diagnostic } from './context.js';
import { DepRecorder, trackedView, type DerivedValue } from './deps.js';

/** A context whose NB reads and derived lookups are recorded in `rec`. */
export function trackedContext(ctx: CompileContext, rec: DepRecorder): CompileContext {
  const diagnostics: Diagnostic[] = [];
  return deriveContext(ctx, {
    nb: trackedView(ctx.nb, rec),
    diagnostics,
    warn(key, message) {
      diagnostics.push({ level: 'warn', key, message });
    },
    lookup(kind, key) {
      const v = ctx.lookup(kind, key);
      rec.value(`${kind}/${key}`, v as DerivedValue);
      return v;
    },
  });
}

