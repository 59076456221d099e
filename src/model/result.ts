// The result type every parser of user data in src/model returns: parsers
// never throw on bad input, they return a typed error instead.

export interface ParseError<K extends string = string> {
  /** Machine-readable reason. */
  readonly kind: K;
  /** Human-readable message, worded like OVN's log message where there is one. */
  readonly message: string;
}

export type Result<T, K extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ParseError<K> };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<K extends string>(kind: K, message: string): { readonly ok: false; readonly error: ParseError<K> } {
  return { ok: false, error: { kind, message } };
}
