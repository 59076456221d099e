// The full compile: NB snapshot (+ SB inputs) → desired SB. Pure.  It is the
// first run of a fresh incremental compiler (compiler.ts), so the daemon's
// incremental runs and this function share every line of flow-building code.
import type { CompileInput } from './context.js';
import type { DesiredSb } from './desired.js';
import type { FreshRandom } from './global.js';
import { Compiler } from './compiler.js';

export function compile(input: CompileInput, fresh: FreshRandom): DesiredSb {
  return new Compiler(fresh).run(input).desired;
}
