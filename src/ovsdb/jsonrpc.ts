/**
 * JSON-RPC 1.0 over a byte stream, as used by OVSDB (RFC 7047 §4):
 * requests with ids matched to responses, notifications (id null),
 * incoming "echo" requests answered automatically.
 */
import type { Duplex } from 'node:stream';
import { JsonFramer } from './framer.js';
import { DisconnectedError, ProtocolError, RpcError, parseErrorMember } from './errors.js';

export type ReplyCallback = (err: Error | null, result?: unknown) => void;

export interface JsonRpcHandlers {
  /** A notification (a request with id null) from the peer. */
  onNotification(method: string, params: unknown[]): void;
  /** The connection is gone; `err` says why when it was not a clean close. */
  onClose(err?: Error): void;
  /** Called for every chunk of bytes received (for inactivity probes). */
  onActivity?(): void;
}

export interface JsonRpcOptions {
  maxMessageSize?: number;
}

/** Size of the pieces a serialised request is written in. */
const CHUNK = 1 << 20;

export class JsonRpcConnection {
  private readonly framer: JsonFramer;
  private readonly pending = new Map<number, { method: string; cb: ReplyCallback }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    private readonly handlers: JsonRpcHandlers,
    options: JsonRpcOptions = {},
  ) {
    this.framer = new JsonFramer(options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {});
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (err: Error) => this.shutdown(err));
    stream.on('end', () => {
      this.shutdown(
        this.framer.inProgress ? new ProtocolError('connection closed in the middle of a message') : undefined,
      );
    });
    stream.on('close', () => this.shutdown());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send a request; `cb` is invoked synchronously from the data handler when the reply arrives. */
  call(method: string, params: unknown[], cb: ReplyCallback): void {
    if (this.closed) {
      queueMicrotask(() => cb(new DisconnectedError(`connection closed (${method})`)));
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, { method, cb });
    this.send({ method, params, id });
  }

  /**
   * A request whose params are already serialised, one JSON text per element:
   * written a chunk at a time as the stream drains, so a transaction of
   * 100,000 operations never exists as one object tree or one string, nor
   * waits whole in the stream's buffer. Messages sent meanwhile (an echo
   * reply, another request) wait for it to end. `onWritten`: called once the
   * whole request has been handed to the OS.
   */
  requestSerialized(method: string, params: readonly string[], onWritten?: () => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new DisconnectedError(`connection closed (${method})`));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { method, cb: (err, result) => (err ? reject(err) : resolve(result)) });
      let next = 0;
      const pump = (): void => {
        try {
          while (!this.closed) {
            let chunk = next === 0 ? `{"method":${JSON.stringify(method)},"id":${id},"params":[` : '';
            while (next < params.length && chunk.length < CHUNK) chunk += (next ? ',' : '') + params[next++];
            if (next >= params.length) {
              this.write(chunk + ']}', onWritten);
              this.endStream();
              return;
            }
            if (!this.write(chunk)) {
              this.stream.once('drain', pump);
              return;
            }
          }
        } catch (e) {
          this.shutdown(e as Error);
        }
      };
      if (this.streaming) {
        // One streamed request at a time: this one starts when the current one ends.
        this.backlog.push(pump);
        return;
      }
      this.streaming = true;
      pump();
    });
  }

  request(method: string, params: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.call(method, params, (err, result) => (err ? reject(err) : resolve(result)));
    });
  }

  notify(method: string, params: unknown[]): void {
    if (!this.closed) this.send({ method, params, id: null });
  }

  /** Close the connection; pending requests fail with DisconnectedError. */
  close(err?: Error): void {
    this.shutdown(err);
  }

  /** Characters written so far (JSON text; equals bytes for ASCII). */
  charsSent = 0;

  /** While a streamed request is being written: what waits for its end, in order (messages, streamed requests). */
  private streaming = false;
  private backlog: (string | (() => void))[] = [];

  /** Writes `text` now; false when the stream's buffer is full (wait for 'drain'). */
  private write(text: string, onWritten?: () => void): boolean {
    this.charsSent += text.length;
    return onWritten ? this.stream.write(text, () => onWritten()) : this.stream.write(text);
  }

  /** A whole message: now, or after the streamed request being written. */
  private writeMessage(text: string): void {
    if (this.streaming) this.backlog.push(text);
    else this.write(text);
  }

  /** The streamed request is all written: what waited for it goes, up to the next streamed one. */
  private endStream(): void {
    this.streaming = false;
    while (this.backlog.length && !this.closed) {
      const item = this.backlog.shift()!;
      if (typeof item === 'string') {
        this.write(item);
        continue;
      }
      this.streaming = true;
      item(); // writes as far as it can; its own end continues the backlog
      return;
    }
  }

  private send(msg: unknown): void {
    try {
      this.writeMessage(JSON.stringify(msg));
    } catch (e) {
      this.shutdown(e as Error);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.handlers.onActivity?.();
    let msgs: unknown[];
    try {
      msgs = this.framer.push(chunk);
    } catch (e) {
      this.shutdown(e as Error);
      return;
    }
    for (const m of msgs) {
      if (this.closed) return;
      try {
        this.dispatch(m);
      } catch (e) {
        this.shutdown(e instanceof Error ? e : new Error(String(e)));
        return;
      }
    }
  }

  private dispatch(msg: unknown): void {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      throw new ProtocolError(`received a non-object JSON-RPC message`);
    }
    const m = msg as Record<string, unknown>;
    if (typeof m['method'] === 'string') {
      const method = m['method'] as string;
      const params = Array.isArray(m['params']) ? (m['params'] as unknown[]) : [];
      const id = m['id'];
      if (id === null || id === undefined) {
        this.handlers.onNotification(method, params);
        return;
      }
      if (method === 'echo') {
        this.send({ result: params, error: null, id });
      } else {
        this.send({ result: null, error: 'unknown method', id });
      }
      return;
    }
    if ('result' in m || 'error' in m) {
      const id = m['id'];
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (!p) throw new ProtocolError(`received a reply with unknown id ${JSON.stringify(id)}`);
      this.pending.delete(id as number);
      if (m['error'] !== null && m['error'] !== undefined) {
        const { error, details } = parseErrorMember(m['error']);
        p.cb(new RpcError(p.method, error, details, m['error']));
      } else {
        p.cb(null, m['result']);
      }
      return;
    }
    throw new ProtocolError(`received a message that is neither request nor reply`);
  }

  private shutdown(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    const reason = new DisconnectedError(err ? `connection lost: ${err.message}` : 'connection closed');
    for (const p of pending) {
      try {
        p.cb(reason);
      } catch {
        // A callback must not prevent the others from running.
      }
    }
    this.handlers.onClose(err);
  }
}
