/**
 * A long-lived OVSDB session: connects to one of a list of remotes, keeps
 * the connection alive with inactivity probes, reconnects with exponential
 * backoff, follows the cluster leader (through the `_Server` database), and
 * re-establishes monitors and locks after every reconnect.
 */
import { BehaviorSubject, Observable } from 'rxjs';
import { JsonRpcConnection } from './jsonrpc.js';
import { DisconnectedError, ProtocolError, RpcError, TimeoutError, TransactError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { parseSchema, type DatabaseSchema, type TableSchema } from './schema.js';
import { decodeRow, ZERO_UUID, type Row } from './datum.js';
import {
  decodeOperationResult,
  encodeCondition,
  encodeOperation,
  type Condition,
  type Operation,
  type OperationResult,
} from './operations.js';
import { formatRemote, openTransport, parseRemotes, type Remote, type SslOptions } from './transport.js';

export interface BackoffOptions {
  /** First reconnect delay in ms (default 500). */
  readonly initialMs?: number;
  /** Cap of the exponential backoff in ms (default 8000). */
  readonly maxMs?: number;
}

export interface SessionOptions {
  /** A remote (`unix:PATH`, `tcp:HOST:PORT`, `ssl:HOST:PORT`), a comma-separated list, or an array. */
  readonly remote: string | readonly string[];
  /**
   * Database whose `_Server` status decides whether a server is acceptable
   * (besides the databases of active monitors).
   */
  readonly database?: string;
  /** Only stay on a server where the (clustered) database is the leader. Default true. */
  readonly leaderOnly?: boolean;
  /**
   * Inactivity probe interval in ms; 0 disables. Default, as in OVS: 5000 for
   * tcp:/ssl: remotes, none for unix: sockets (a server busy building a large
   * initial reply answers nothing for many seconds; probing it would make the
   * client reconnect and the server start over, again and again).
   */
  readonly probeInterval?: number;
  readonly backoff?: BackoffOptions;
  /** Connect timeout in ms. Default 5000. */
  readonly connectTimeout?: number;
  /** Largest accepted JSON message in bytes. Default 1 GiB. */
  readonly maxMessageSize?: number;
  readonly ssl?: SslOptions;
  /** pino-compatible logger; silent by default. */
  readonly logger?: Logger;
}

export type SessionState = 'idle' | 'connecting' | 'syncing' | 'ready' | 'backoff' | 'closed';

export type MonitorMethod = 'monitor_cond_since' | 'monitor_cond' | 'monitor';

export interface MonitorTableRequest {
  /** Columns to monitor (default: all). */
  readonly columns?: readonly string[];
  /** Conditions (monitor_cond and newer); all rows when omitted. */
  readonly where?: readonly (Condition | boolean)[];
  /**
   * When set, an insert notification carries only these columns (the others
   * read as their defaults): for a table whose rows the client inserts itself
   * and completes from what it sent (ReplicaOptions.completeInsert). The
   * initial contents, modifications and deletions still carry every column.
   */
  readonly insertColumns?: readonly string[];
}

/** table name → request (`true` for all columns). */
export type MonitorRequests = Readonly<Record<string, MonitorTableRequest | true>>;

/** One row's change in a monitor update. */
export interface RowChange {
  readonly kind: 'insert' | 'modify' | 'delete';
  /** Full new row (insert; modify in the `update` format). */
  readonly new?: Row;
  /** Raw update2 column diffs (modify in the `update2`/`update3` format); apply with applyRowDiff. */
  readonly diff?: Readonly<Record<string, unknown>>;
}

/** table → uuid → change. */
export type TableUpdates = ReadonlyMap<string, ReadonlyMap<string, RowChange>>;

export type MonitorEvent =
  /** The complete contents of the monitored tables (first load, or a resync that could not resume). */
  | { readonly type: 'initial'; readonly schema: DatabaseSchema; readonly columns: ReadonlyMap<string, readonly string[]>; readonly updates: TableUpdates }
  /** Incremental changes (also the changes missed while disconnected when the server could resume). */
  | { readonly type: 'update'; readonly schema: DatabaseSchema; readonly columns: ReadonlyMap<string, readonly string[]>; readonly updates: TableUpdates; readonly resumed: boolean };

export type MonitorListener = (ev: MonitorEvent) => void;

/**
 * For tables monitored with `insertColumns`: the full row of an insert whose
 * notification carried only those columns (the client's own insert, which it
 * kept), or undefined to decode the partial row (someone else's insert).
 */
export type InsertCompleter = (table: string, uuid: string) => Row | undefined;

export interface MonitorOptions {
  /** Completes the partial insert notifications of tables monitored with `insertColumns`. */
  readonly completeInsert?: InsertCompleter;
  /**
   * Apply update notifications later than they arrive (in order, before
   * anything else of this monitor): while a transaction of this session is in
   * flight they wait for its reply, otherwise for one turn of the event loop.
   * A transaction's reply, which follows its echo on the wire, is then seen
   * before the echo is decoded. `Monitor.applied()` waits for them.
   */
  readonly deferUpdates?: boolean;
}

interface Pending<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

const SERVER_DB = '_Server';
const SERVER_MONITOR_ID = '_Server';

interface ServerDbRow {
  name: string;
  model: string;
  connected: boolean;
  leader: boolean;
}

let sessionCounter = 0;

/** A transaction's params as JSON texts, and what decoding its results needs of each operation. */
interface SerializedTransaction {
  readonly params: readonly string[];
  /** The operation for a select (its rows are decoded), a stand-in otherwise. */
  readonly kinds: readonly Operation[];
}

const NOT_SELECT = { op: 'comment', comment: '' } as unknown as Operation;

function serializeOperations(schema: DatabaseSchema, db: string, operations: readonly Operation[]): SerializedTransaction {
  const params: string[] = [JSON.stringify(db)];
  const kinds: Operation[] = [];
  for (const o of operations) {
    params.push(o.op === 'insert' && o.encoded !== undefined ? o.encoded : JSON.stringify(encodeOperation(schema, o)));
    kinds.push(o.op === 'select' ? o : NOT_SELECT);
  }
  return { params, kinds };
}

export class OvsdbSession {
  readonly options: SessionOptions;
  private readonly log: Logger;
  private readonly remotes: Remote[];
  private remoteIdx = 0;
  private failuresInRound = 0;
  private backoffMs: number;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly probeInterval: number | undefined;
  private readonly leaderOnly: boolean;

  private conn: JsonRpcConnection | undefined;
  private connRemote: string | undefined;
  private readySince = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private lastRx = 0;
  private probing = false;
  private closed = false;
  private started = false;
  private monitorMethod: MonitorMethod = 'monitor_cond_since';
  private serverRows = new Map<string, ServerDbRow>();
  private hasServerDb = false;

  private readonly monitors = new Map<string, Monitor>();
  private readonly locks = new Map<string, OvsdbLock>();
  /** Transactions sent and not answered yet (deferred monitor updates wait for them). */
  transactsInFlight = 0;
  private readyWaiters: Pending<void>[] = [];
  private readonly schemas = new Map<string, DatabaseSchema>();
  private monitorSeq = 0;
  private readonly _state = new BehaviorSubject<SessionState>('idle');
  private readonly name = `s${++sessionCounter}`;
  /** Number of times the session reached the ready state. */
  connectCount = 0;

  constructor(options: SessionOptions) {
    this.options = options;
    this.log = options.logger ?? silentLogger;
    this.remotes = parseRemotes(options.remote);
    this.initialBackoff = options.backoff?.initialMs ?? 500;
    this.maxBackoff = Math.max(options.backoff?.maxMs ?? 8000, this.initialBackoff);
    this.backoffMs = this.initialBackoff;
    this.probeInterval = options.probeInterval;
    this.leaderOnly = options.leaderOnly ?? true;
  }

  /** Connection state changes. */
  get state$(): Observable<SessionState> {
    return this._state.asObservable();
  }

  get state(): SessionState {
    return this._state.value;
  }

  /** The remote currently connected to, if any. */
  get remote(): string | undefined {
    return this.conn ? this.connRemote : undefined;
  }

  /** Start connecting (idempotent). Most methods call this implicitly. */
  start(): this {
    if (!this.started && !this.closed) {
      this.started = true;
      this.connect();
    }
    return this;
  }

  /** Resolves when connected to an acceptable server (rejects on close or timeout). */
  whenReady(timeoutMs?: number): Promise<void> {
    this.start();
    if (this.closed) return Promise.reject(new DisconnectedError('session closed'));
    if (this._state.value === 'ready') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const w: Pending<void> = {
        resolve: () => {
          if (timer) clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          if (timer) clearTimeout(timer);
          reject(e);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.readyWaiters = this.readyWaiters.filter((x) => x !== w);
          reject(new TimeoutError(`not connected within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.readyWaiters.push(w);
    });
  }

  /** Characters written on the current connection (the size of what was sent). */
  get charsSent(): number {
    return this.conn?.charsSent ?? 0;
  }

  /** Send a raw JSON-RPC request once ready. Fails with DisconnectedError if the connection drops first. */
  async request(method: string, params: unknown[]): Promise<unknown> {
    await this.whenReady();
    const conn = this.conn;
    if (!conn) throw new DisconnectedError('not connected');
    return conn.request(method, params);
  }

  listDbs(): Promise<string[]> {
    return this.request('list_dbs', []) as Promise<string[]>;
  }

  echo(...params: unknown[]): Promise<unknown[]> {
    return this.request('echo', params) as Promise<unknown[]>;
  }

  /** The schema of `db` (cached for the lifetime of a connection). */
  async getSchema(db: string): Promise<DatabaseSchema> {
    await this.whenReady();
    const cached = this.schemas.get(db);
    if (cached) return cached;
    const json = await this.request('get_schema', [db]);
    const schema = parseSchema(json);
    this.schemas.set(db, schema);
    return schema;
  }

  /**
   * Run a transaction. Resolves with one decoded result per operation; if an
   * operation or the commit fails, rejects with a TransactError carrying the
   * raw results. `onWritten`: called once the request is all handed to the OS.
   */
  transact(db: string, operations: readonly Operation[], opts: { onWritten?: () => void } = {}): Promise<OperationResult[]> {
    // With the schema at hand the operations are serialised before this returns:
    // the caller may drop them (and their memory) while the server commits.
    const schema = this.schemas.get(db);
    if (schema) {
      let t: SerializedTransaction;
      try {
        t = serializeOperations(schema, db, operations);
      } catch (e) {
        return Promise.reject(e as Error);
      }
      return this.transactSerialized(schema, t, opts.onWritten);
    }
    return this.getSchema(db).then((sc) => this.transactSerialized(sc, serializeOperations(sc, db, operations), opts.onWritten));
  }

  private async transactSerialized(schema: DatabaseSchema, serialized: SerializedTransaction, onWritten?: () => void): Promise<OperationResult[]> {
    await this.whenReady();
    const conn = this.conn;
    if (!conn) throw new DisconnectedError('not connected');
    const kinds = serialized.kinds;
    const reply = conn.requestSerialized('transact', serialized.params, onWritten);
    // Written out: let the texts go while the server commits (a cold start's are tens of MB).
    (serialized as SerializedTransaction | undefined) = undefined;
    this.transactsInFlight++;
    let raw: unknown;
    try {
      raw = await reply;
    } finally {
      // The updates deferred meanwhile (the echo among them) go after this reply.
      if (--this.transactsInFlight === 0) for (const m of this.monitors.values()) m.releaseDeferred();
    }
    if (!Array.isArray(raw)) throw new ProtocolError('transact: reply is not an array');
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i] as Record<string, unknown> | null;
      if (r && typeof r === 'object' && typeof r['error'] === 'string') {
        throw new TransactError(r['error'] as string, r['details'] as string | undefined, i, raw);
      }
    }
    return kinds.map((o, i) => decodeOperationResult(schema, o, raw[i]));
  }

  /**
   * Request lock `name`; the lock is re-requested after every reconnect until
   * released. Returns the existing handle if the lock was already requested.
   */
  lock(name: string): OvsdbLock {
    let l = this.locks.get(name);
    if (!l) {
      l = new OvsdbLock(this, name);
      this.locks.set(name, l);
      this.start();
      if (this.conn && this._state.value === 'ready') l.attach(this.conn);
    }
    return l;
  }

  /**
   * Monitor tables of `db`. The monitor is re-established after reconnects,
   * resuming from the last transaction id where the server supports it.
   */
  monitor(db: string, requests: MonitorRequests, listener: MonitorListener, options: MonitorOptions = {}): Monitor {
    const id = `${this.name}-m${++this.monitorSeq}`;
    const m = new Monitor(this, id, db, requests, listener, this.log, options);
    this.monitors.set(id, m);
    this.start();
    if (this.conn && this._state.value === 'ready') {
      if (!this.acceptable()) this.drop(`database ${db} is not usable on ${this.connRemote}`);
      else m.attach(this.conn);
    }
    return m;
  }

  /** Close the session: stop reconnecting, fail waiters, complete monitors. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopProbe();
    const conn = this.conn;
    this.conn = undefined;
    conn?.close();
    for (const w of this.readyWaiters) w.reject(new DisconnectedError('session closed'));
    this.readyWaiters = [];
    for (const l of this.locks.values()) l.detach();
    this._state.next('closed');
    this._state.complete();
  }

  // ------------------------------------------------------------ internals

  /** @internal */
  removeMonitor(m: Monitor): void {
    this.monitors.delete(m.id);
    if (this.conn && m.attachedTo === this.conn) this.conn.notify('monitor_cancel', [m.id]);
  }

  /** @internal */
  removeLock(l: OvsdbLock): void {
    if (this.locks.get(l.name) === l) this.locks.delete(l.name);
  }

  /** @internal the live connection, if ready. */
  get readyConnection(): JsonRpcConnection | undefined {
    return this._state.value === 'ready' ? this.conn : undefined;
  }

  /** The schema of `db` if this connection already fetched it. */
  cachedSchema(db: string): DatabaseSchema | undefined {
    return this.schemas.get(db);
  }

  /** @internal */
  cacheSchema(db: string, s: DatabaseSchema): void {
    this.schemas.set(db, s);
  }

  /** @internal */
  get preferredMonitorMethod(): MonitorMethod {
    return this.monitorMethod;
  }

  /** @internal called when the server does not know `method`. */
  downgradeMonitorMethod(method: MonitorMethod): MonitorMethod | undefined {
    const next: MonitorMethod | undefined =
      method === 'monitor_cond_since' ? 'monitor_cond' : method === 'monitor_cond' ? 'monitor' : undefined;
    if (next) this.monitorMethod = next;
    return next;
  }

  /** Drop the current connection (logging why) and reconnect. */
  drop(reason: string): void {
    const conn = this.conn;
    if (!conn) return;
    this.log.warn({ remote: this.connRemote, reason }, `ovsdb: dropping connection: ${reason}`);
    conn.close(new ProtocolError(reason));
  }

  private setState(s: SessionState): void {
    if (this._state.value !== s && !this._state.closed) this._state.next(s);
  }

  private connect(): void {
    if (this.closed) return;
    const remote = this.remotes[this.remoteIdx % this.remotes.length]!;
    const remoteStr = formatRemote(remote);
    this.setState('connecting');
    this.log.debug({ remote: remoteStr }, 'ovsdb: connecting');
    openTransport(remote, this.options.ssl, this.options.connectTimeout ?? 5000).then(
      (stream) => {
        if (this.closed) {
          stream.destroy();
          return;
        }
        this.onTransport(stream, remoteStr);
      },
      (err: Error) => {
        if (this.closed) return;
        this.log.info({ remote: remoteStr, err: err.message }, `ovsdb: connection to ${remoteStr} failed: ${err.message}`);
        this.scheduleReconnect(false);
      },
    );
  }

  private onTransport(stream: import('node:stream').Duplex, remoteStr: string): void {
    this.serverRows = new Map();
    this.hasServerDb = false;
    this.schemas.clear();
    this.monitorMethod = 'monitor_cond_since';
    const conn: JsonRpcConnection = new JsonRpcConnection(
      stream,
      {
        onNotification: (method, params) => {
          if (this.conn === conn) this.onNotification(method, params);
        },
        onClose: (err) => {
          if (this.conn === conn) this.onConnClose(err);
        },
        onActivity: () => {
          this.lastRx = Date.now();
          this.probing = false;
        },
      },
      this.options.maxMessageSize !== undefined ? { maxMessageSize: this.options.maxMessageSize } : {},
    );
    this.conn = conn;
    this.connRemote = remoteStr;
    this.lastRx = Date.now();
    this.probing = false;
    this.startProbe();
    this.setState('syncing');
    this.log.info({ remote: remoteStr }, `ovsdb: connected to ${remoteStr}`);

    if (this.relevantDbs().size === 0) {
      this.becomeReady();
      return;
    }
    conn.call(
      'monitor_cond',
      [SERVER_DB, SERVER_MONITOR_ID, { Database: [{ columns: ['name', 'model', 'connected', 'leader'] }] }],
      (err, result) => {
        if (this.conn !== conn) return;
        if (err) {
          if (err instanceof RpcError) {
            // Old servers have no _Server database: accept them as they are.
            this.log.info({ remote: remoteStr, err: err.message }, 'ovsdb: server has no _Server database');
            this.becomeReady();
          }
          return;
        }
        this.hasServerDb = true;
        try {
          this.applyServerUpdates(result);
        } catch (e) {
          this.drop(`bad _Server update: ${(e as Error).message}`);
          return;
        }
        if (!this.acceptable()) {
          this.drop(this.unacceptableReason());
          return;
        }
        this.becomeReady();
      },
    );
  }

  private relevantDbs(): Set<string> {
    const s = new Set<string>();
    if (this.options.database) s.add(this.options.database);
    for (const m of this.monitors.values()) s.add(m.db);
    s.delete(SERVER_DB);
    return s;
  }

  private acceptable(): boolean {
    if (!this.hasServerDb) return true;
    for (const db of this.relevantDbs()) {
      const r = [...this.serverRows.values()].find((x) => x.name === db);
      if (!r) return false;
      if (!r.connected) return false;
      if (r.model === 'clustered' && this.leaderOnly && !r.leader) return false;
    }
    return true;
  }

  private unacceptableReason(): string {
    for (const db of this.relevantDbs()) {
      const r = [...this.serverRows.values()].find((x) => x.name === db);
      if (!r) return `server ${this.connRemote} does not have database ${db}`;
      if (!r.connected) return `database ${db} on ${this.connRemote} is not connected to its cluster`;
      if (r.model === 'clustered' && this.leaderOnly && !r.leader) {
        return `database ${db} on ${this.connRemote} is not the cluster leader`;
      }
    }
    return 'unknown';
  }

  private applyServerUpdates(updates: unknown): void {
    const t = (updates as Record<string, Record<string, Record<string, unknown>>> | null)?.['Database'];
    if (!t) return;
    for (const [uuid, u] of Object.entries(t)) {
      if ('delete' in u) {
        this.serverRows.delete(uuid);
        continue;
      }
      const row = (u['initial'] ?? u['insert'] ?? u['modify']) as Record<string, unknown> | undefined;
      if (!row) continue;
      const old = this.serverRows.get(uuid) ?? { name: '', model: 'standalone', connected: false, leader: false };
      // All four columns are scalars, so update2 "modify" carries new values.
      const next: ServerDbRow = {
        name: typeof row['name'] === 'string' ? (row['name'] as string) : 'modify' in u ? old.name : '',
        model: typeof row['model'] === 'string' ? (row['model'] as string) : 'modify' in u ? old.model : 'standalone',
        connected: typeof row['connected'] === 'boolean' ? (row['connected'] as boolean) : 'modify' in u ? old.connected : false,
        leader: typeof row['leader'] === 'boolean' ? (row['leader'] as boolean) : 'modify' in u ? old.leader : false,
      };
      this.serverRows.set(uuid, next);
    }
  }

  private becomeReady(): void {
    const conn = this.conn;
    if (!conn) return;
    this.readySince = Date.now();
    this.connectCount++;
    this.setState('ready');
    for (const m of this.monitors.values()) m.attach(conn);
    for (const l of this.locks.values()) l.attach(conn);
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private onNotification(method: string, params: unknown[]): void {
    const id = params[0];
    switch (method) {
      case 'update':
      case 'update2':
      case 'update3': {
        if (id === SERVER_MONITOR_ID && method === 'update2') {
          try {
            this.applyServerUpdates(params[1]);
          } catch (e) {
            this.drop(`bad _Server update: ${(e as Error).message}`);
            return;
          }
          if (this._state.value === 'ready' && !this.acceptable()) this.drop(this.unacceptableReason());
          return;
        }
        const m = typeof id === 'string' ? this.monitors.get(id) : undefined;
        if (!m) {
          this.log.debug({ method, id }, 'ovsdb: update for an unknown (cancelled) monitor');
          return;
        }
        m.onNotification(method, params);
        return;
      }
      case 'locked':
      case 'stolen': {
        const l = typeof id === 'string' ? this.locks.get(id) : undefined;
        if (l) l.onNotification(method);
        else this.log.debug({ method, id }, 'ovsdb: lock notification for an unknown lock');
        return;
      }
      case 'monitor_canceled':
        this.drop(`server cancelled monitor ${JSON.stringify(id)}`);
        return;
      default:
        this.drop(`unknown notification ${JSON.stringify(method)}`);
    }
  }

  private onConnClose(err?: Error): void {
    const wasReady = this._state.value === 'ready';
    const remote = this.connRemote;
    this.conn = undefined;
    this.stopProbe();
    for (const m of this.monitors.values()) m.detach();
    for (const l of this.locks.values()) l.detach();
    if (this.closed) return;
    if (err) this.log.warn({ remote, err: err.message }, `ovsdb: connection to ${remote} lost: ${err.message}`);
    else this.log.info({ remote }, `ovsdb: connection to ${remote} closed`);
    this.scheduleReconnect(wasReady && Date.now() - this.readySince >= this.maxBackoff);
  }

  private scheduleReconnect(longLived: boolean): void {
    if (this.closed) return;
    this.remoteIdx = (this.remoteIdx + 1) % this.remotes.length;
    let delay = 0;
    if (longLived) {
      // A connection that worked for a while: start over with the next remote at once.
      this.backoffMs = this.initialBackoff;
      this.failuresInRound = 0;
    } else if (++this.failuresInRound >= this.remotes.length) {
      // Every remote failed once in a row: back off before the next round.
      delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoff);
      this.failuresInRound = 0;
    }
    this.setState('backoff');
    this.log.debug({ delay }, 'ovsdb: reconnect scheduled');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  private probeIntervalFor(remote: Remote): number {
    return this.probeInterval ?? (remote.kind === 'unix' ? 0 : 5000);
  }

  private startProbe(): void {
    this.stopProbe();
    const remote = this.remotes[this.remoteIdx % this.remotes.length]!;
    const interval = this.probeIntervalFor(remote);
    if (interval <= 0) return;
    const tick = (): void => {
      this.probeTimer = undefined;
      const conn = this.conn;
      if (!conn || this.closed) return;
      const idle = Date.now() - this.lastRx;
      if (idle < interval) {
        this.probeTimer = setTimeout(tick, interval - idle);
        return;
      }
      if (!this.probing) {
        this.probing = true;
        this.log.debug({ remote: this.connRemote, idle }, 'ovsdb: idle, sending inactivity probe');
        conn.call('echo', [], () => {});
        this.probeTimer = setTimeout(tick, interval);
        return;
      }
      this.drop(`no response to inactivity probe after ${idle} ms`);
    };
    this.probeTimer = setTimeout(tick, interval);
  }

  private stopProbe(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }
}

// ------------------------------------------------------------------ monitor

/** A monitor registered on a session; survives reconnects. */
export class Monitor {
  /** Last transaction id seen (monitor_cond_since only). */
  lastTxnId: string = ZERO_UUID;
  /** The method used on the current connection. */
  method: MonitorMethod | undefined;
  /** Counters: full loads (first or non-resumable), resumes (found=true after a reconnect), update batches. */
  readonly stats = { fullLoads: 0, resumes: 0, updates: 0 };
  /** @internal */
  attachedTo: JsonRpcConnection | undefined;
  private cancelled = false;
  private schema: DatabaseSchema | undefined;
  private columns = new Map<string, readonly string[]>();
  private hadInitial = false;
  /** Update notifications received and not applied yet (deferUpdates). */
  private deferred: ['update' | 'update2' | 'update3', unknown[]][] = [];
  private appliedWaiters: (() => void)[] = [];

  constructor(
    private readonly session: OvsdbSession,
    readonly id: string,
    readonly db: string,
    readonly requests: MonitorRequests,
    private readonly listener: MonitorListener,
    private readonly log: Logger,
    private readonly options: MonitorOptions = {},
  ) {}

  /** Resolves once every update notification received so far has been applied. */
  applied(): Promise<void> {
    if (!this.deferred.length) return Promise.resolve();
    return new Promise((r) => this.appliedWaiters.push(r));
  }

  /** Stop monitoring. */
  cancel(): void {
    if (this.cancelled) return;
    this.session.removeMonitor(this);
    this.cancelled = true;
    this.attachedTo = undefined;
    // Nothing will be applied any more: nobody waits for it.
    this.deferred = [];
    this.releaseAppliedWaiters();
  }

  /** @internal */
  detach(): void {
    // What arrived before the connection went is still this monitor's, in order.
    this.applyDeferred();
    this.attachedTo = undefined;
    this.method = undefined;
  }

  /** @internal */
  attach(conn: JsonRpcConnection): void {
    if (this.cancelled) return;
    this.attachedTo = conn;
    this.method = undefined;
    const cached = this.session.cachedSchema(this.db);
    if (cached) {
      this.sendMonitor(conn, cached, this.session.preferredMonitorMethod);
      return;
    }
    conn.call('get_schema', [this.db], (err, json) => {
      if (this.attachedTo !== conn || this.cancelled) return;
      if (err) {
        if (err instanceof RpcError) this.session.drop(`get_schema ${this.db} failed: ${err.message}`);
        return;
      }
      let schema: DatabaseSchema;
      try {
        schema = parseSchema(json);
      } catch (e) {
        this.session.drop(`bad schema for ${this.db}: ${(e as Error).message}`);
        return;
      }
      this.session.cacheSchema(this.db, schema);
      this.sendMonitor(conn, schema, this.session.preferredMonitorMethod);
    });
  }

  private buildRequests(schema: DatabaseSchema, method: MonitorMethod): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.columns = new Map();
    for (const [tname, req] of Object.entries(this.requests)) {
      const t = schema.tables[tname];
      if (!t) throw new Error(`database ${this.db} has no table ${tname}`);
      const r = req === true ? {} : req;
      const cols = r.columns ? [...r.columns] : [...t.columnNames];
      for (const c of cols) if (!t.columns[c]) throw new Error(`table ${tname} has no column ${c}`);
      this.columns.set(tname, cols);
      const one: Record<string, unknown> = { columns: cols };
      if (method !== 'monitor' && r.where) one['where'] = r.where.map((c) => encodeCondition(t, c));
      if (method === 'monitor' && r.where) {
        this.log.warn({ table: tname }, 'ovsdb: server only supports "monitor"; conditions ignored');
      }
      const onInsert = r.insertColumns?.filter((c) => cols.includes(c));
      const rest = onInsert?.length ? cols.filter((c) => !onInsert.includes(c)) : [];
      if (onInsert && rest.length) {
        // Two requests (RFC 7047 allows an array per table, each column in one): the
        // server selects per column, so an insert sends only the second one's columns.
        // ovsdb-server takes a table's condition once: it stays with the first request.
        out[tname] = [
          { ...one, columns: rest, select: { initial: true, insert: false, delete: true, modify: true } },
          { columns: onInsert },
        ];
        continue;
      }
      out[tname] = method === 'monitor' ? one : [one];
    }
    return out;
  }

  private sendMonitor(conn: JsonRpcConnection, schema: DatabaseSchema, method: MonitorMethod): void {
    this.schema = schema;
    let reqs: Record<string, unknown>;
    try {
      reqs = this.buildRequests(schema, method);
    } catch (e) {
      this.log.error({ err: (e as Error).message }, `ovsdb: bad monitor request: ${(e as Error).message}`);
      this.cancel();
      return;
    }
    const params: unknown[] = [this.db, this.id, reqs];
    if (method === 'monitor_cond_since') params.push(this.hadInitial ? this.lastTxnId : ZERO_UUID);
    conn.call(method, params, (err, result) => {
      if (this.attachedTo !== conn || this.cancelled) return;
      if (err) {
        if (err instanceof RpcError && err.error === 'unknown method') {
          const next = this.session.downgradeMonitorMethod(method);
          if (next) {
            this.log.info({ method, next }, `ovsdb: server does not support ${method}, using ${next}`);
            this.sendMonitor(conn, schema, next);
            return;
          }
        }
        if (err instanceof RpcError) this.session.drop(`${method} on ${this.db} failed: ${err.message}`);
        return;
      }
      this.method = method;
      try {
        if (method === 'monitor_cond_since') {
          const [found, txnId, updates] = result as [boolean, string, unknown];
          const resumed = found === true && this.hadInitial;
          if (typeof txnId === 'string') this.lastTxnId = txnId;
          if (resumed) this.stats.resumes++;
          else this.stats.fullLoads++;
          this.emit(resumed ? 'update' : 'initial', updates, 'update2', resumed);
        } else {
          this.stats.fullLoads++;
          this.emit('initial', result, method === 'monitor' ? 'update' : 'update2', false);
        }
        this.hadInitial = true;
      } catch (e) {
        this.session.drop(`bad ${method} reply: ${(e as Error).message}`);
      }
    });
  }

  /** @internal */
  onNotification(method: 'update' | 'update2' | 'update3', params: unknown[]): void {
    if (!this.attachedTo || !this.method || this.cancelled) return;
    if (this.options.deferUpdates) {
      if (this.deferred.push([method, params]) === 1 && this.session.transactsInFlight === 0) setImmediate(() => this.applyDeferred());
      return;
    }
    this.applyNotification(method, params);
  }

  /** @internal The session's transactions are answered: apply what waited for them. */
  releaseDeferred(): void {
    if (this.deferred.length) setImmediate(() => this.applyDeferred());
  }

  private applyDeferred(): void {
    const queue = this.deferred;
    if (!queue.length) return;
    this.deferred = [];
    for (const [method, params] of queue) {
      if (this.cancelled) break;
      this.applyNotification(method, params);
    }
    this.releaseAppliedWaiters();
  }

  private releaseAppliedWaiters(): void {
    const waiters = this.appliedWaiters;
    this.appliedWaiters = [];
    for (const w of waiters) w();
  }

  private applyNotification(method: 'update' | 'update2' | 'update3', params: unknown[]): void {
    this.stats.updates++;
    try {
      if (method === 'update3') {
        const txnId = params[1];
        this.emit('update', params[2], 'update2', false);
        if (typeof txnId === 'string') this.lastTxnId = txnId;
      } else {
        this.emit('update', params[1], method, false);
      }
    } catch (e) {
      this.session.drop(`bad ${method} notification: ${(e as Error).message}`);
    }
  }

  private emit(type: 'initial' | 'update', json: unknown, format: 'update' | 'update2', resumed: boolean): void {
    const schema = this.schema!;
    const updates = decodeTableUpdates(schema, this.columns, json, format, type === 'initial', this.options.completeInsert);
    const ev: MonitorEvent =
      type === 'initial'
        ? { type, schema, columns: this.columns, updates }
        : { type, schema, columns: this.columns, updates, resumed };
    try {
      this.listener(ev);
    } catch (e) {
      // The consumer's state may now be inconsistent: start over with a full resync.
      this.log.error({ err: (e as Error).message }, `ovsdb: monitor listener threw: ${(e as Error).message}`);
      this.hadInitial = false;
      this.session.drop(`monitor ${this.id} listener failed; resynchronising`);
    }
  }
}

/** Decode table-updates (`update`) or table-updates2 (`update2`/`update3`) JSON. */
export function decodeTableUpdates(
  schema: DatabaseSchema,
  columns: ReadonlyMap<string, readonly string[]>,
  json: unknown,
  format: 'update' | 'update2',
  initial: boolean,
  complete?: InsertCompleter,
): TableUpdates {
  const out = new Map<string, Map<string, RowChange>>();
  if (json === null || json === undefined) return out;
  if (typeof json !== 'object' || Array.isArray(json)) throw new ProtocolError('table updates are not an object');
  for (const [tname, rows] of Object.entries(json as Record<string, Record<string, Record<string, unknown>>>)) {
    const t: TableSchema | undefined = schema.tables[tname];
    if (!t) throw new ProtocolError(`update for unknown table ${tname}`);
    const cols = columns.get(tname) ?? t.columnNames;
    const m = new Map<string, RowChange>();
    for (const [uuid, u] of Object.entries(rows)) {
      if (format === 'update2') {
        if (u['initial'] !== undefined) m.set(uuid, { kind: 'insert', new: decodeRow(t, uuid, u['initial'] as Record<string, unknown>, cols) });
        else if (u['insert'] !== undefined) m.set(uuid, { kind: 'insert', new: complete?.(tname, uuid) ?? decodeRow(t, uuid, u['insert'] as Record<string, unknown>, cols) });
        else if ('delete' in u) m.set(uuid, { kind: 'delete' });
        else if (u['modify'] !== undefined) m.set(uuid, { kind: 'modify', diff: u['modify'] as Record<string, unknown> });
        else throw new ProtocolError(`bad row update for ${tname} ${uuid}`);
      } else {
        const n = u['new'] as Record<string, unknown> | undefined;
        const o = u['old'];
        if (n && (o === undefined || initial)) m.set(uuid, { kind: 'insert', new: (!initial && complete?.(tname, uuid)) || decodeRow(t, uuid, n, cols) });
        else if (n) m.set(uuid, { kind: 'modify', new: decodeRow(t, uuid, n, cols) });
        else m.set(uuid, { kind: 'delete' });
      }
    }
    out.set(tname, m);
  }
  return out;
}

// ------------------------------------------------------------------ locks

/** A lock requested on a session (RFC 7047 §4.1.8–4.1.11). */
export class OvsdbLock {
  private readonly _locked = new BehaviorSubject<boolean>(false);
  private released = false;
  private conn: JsonRpcConnection | undefined;

  constructor(
    private readonly session: OvsdbSession,
    readonly name: string,
  ) {}

  /** Whether this session currently holds the lock; emits on every change. */
  get locked$(): Observable<boolean> {
    return this._locked.asObservable();
  }

  get locked(): boolean {
    return this._locked.value;
  }

  /** Resolves when the lock is held (rejects after timeoutMs). */
  whenLocked(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.unsubscribe();
        reject(new TimeoutError(`lock ${this.name} not acquired within ${timeoutMs} ms`));
      }, timeoutMs);
      const sub = this._locked.subscribe((v) => {
        if (v) {
          clearTimeout(timer);
          queueMicrotask(() => sub.unsubscribe());
          resolve();
        }
      });
    });
  }

  /**
   * Take the lock away from its current owner. After a reconnect the lock is
   * requested normally again (as the C IDL does), not stolen.
   */
  async steal(): Promise<void> {
    await this.session.whenReady();
    const conn = this.conn;
    if (!conn || this.released) throw new DisconnectedError('not connected');
    if (this.locked) return;
    // The server refuses "steal" while our own "lock" request is pending: withdraw it first.
    this.conn = undefined;
    try {
      await conn.request('unlock', [this.name]);
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
    }
    this.conn = conn;
    const r = (await conn.request('steal', [this.name])) as { locked?: boolean };
    if (this.conn === conn && r?.locked) this.set(true);
  }

  /** Give up the lock and stop re-requesting it. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.session.removeLock(this);
    const conn = this.conn;
    this.set(false);
    this.conn = undefined;
    if (conn && !conn.isClosed) {
      try {
        await conn.request('unlock', [this.name]);
      } catch {
        // Disconnected: the server dropped the lock anyway.
      }
    }
    this._locked.complete();
  }

  /** @internal */
  attach(conn: JsonRpcConnection): void {
    if (this.released) return;
    this.conn = conn;
    conn.call('lock', [this.name], (err, result) => {
      if (this.conn !== conn || this.released) return;
      if (err) {
        if (err instanceof RpcError) this.session.drop(`lock ${this.name} failed: ${err.message}`);
        return;
      }
      if ((result as { locked?: boolean } | null)?.locked) this.set(true);
    });
  }

  /** @internal */
  detach(): void {
    this.conn = undefined;
    this.set(false);
  }

  /** @internal */
  onNotification(method: 'locked' | 'stolen'): void {
    this.set(method === 'locked');
  }

  private set(v: boolean): void {
    if (!this._locked.closed && this._locked.value !== v) this._locked.next(v);
  }
}
