/** Typed errors raised by the OVSDB client. */

/** An error returned by the server in a JSON-RPC response. */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly method: string,
    /** The OVSDB error tag, e.g. "unknown method", "not owner", "constraint violation". */
    readonly error: string,
    readonly details?: string,
    readonly raw?: unknown,
  ) {
    super(`${method}: ${error}${details ? ` (${details})` : ''}`);
  }
}

/** The connection went away before a reply arrived (or the session was closed). */
export class DisconnectedError extends Error {
  override name = 'DisconnectedError';
}

/** A request or wait did not complete in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The peer violated the protocol (bad JSON-RPC message, unexpected reply...). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** A transaction in which an operation (or the commit) failed. */
export class TransactError extends Error {
  override name = 'TransactError';
  constructor(
    /** The OVSDB error tag of the first failing operation, e.g. "constraint violation". */
    readonly error: string,
    readonly details: string | undefined,
    /** Index of the failing operation (== number of operations for a commit failure). */
    readonly opIndex: number,
    /** The raw per-operation results as returned by the server. */
    readonly results: readonly unknown[],
  ) {
    super(`transaction failed at operation ${opIndex}: ${error}${details ? ` (${details})` : ''}`);
  }
}

/** Turn a JSON-RPC `error` member into tag + details. */
export function parseErrorMember(err: unknown): { error: string; details?: string } {
  if (typeof err === 'string') return { error: err };
  if (err && typeof err === 'object') {
    const o = err as Record<string, unknown>;
    const error = typeof o['error'] === 'string' ? (o['error'] as string) : JSON.stringify(err);
    const details = typeof o['details'] === 'string' ? (o['details'] as string) : undefined;
    return details !== undefined ? { error, details } : { error };
  }
  return { error: JSON.stringify(err) };
}
