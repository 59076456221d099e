/**
 * A standalone OVSDB client (RFC 7047 plus the ovsdb-server(7) extensions),
 * with no OVN knowledge.
 *
 * ```ts
 * import { OvsdbSession, ops, namedUuid } from './ovsdb/index.js';
 *
 * const session = new OvsdbSession({
 *   remote: 'unix:/run/ovn/ovnnb_db.sock,tcp:10.0.0.2:6641', // tried in turn
 *   database: 'OVN_Northbound',      // follow the cluster leader for this db
 *   probeInterval: 5000,             // echo after 5 s of silence, drop after 10 s
 *   backoff: { initialMs: 500, maxMs: 8000 },
 *   logger: pino(),                  // optional; silent by default
 * });
 * await session.whenReady(10_000);
 *
 * const [ins] = await session.transact('OVN_Northbound', [
 *   ops.insert('Logical_Switch', { name: 'ls1', other_config: { subnet: '10.0.0.0/24' } }, 'ls'),
 *   ops.mutate('NB_Global', [], [['external_ids', 'insert', { owner: 'me' }]]),
 * ]);                                // ins.uuid is the new row's UUID; TransactError on failure
 *
 * const mon = session.monitor('OVN_Northbound', { Logical_Switch: { columns: ['name', 'ports'] } }, (ev) => {
 *   // ev.type === 'initial' (full contents) | 'update' (incremental, RowChange per uuid)
 * });
 * const lock = session.lock('ovn_northd');        // lock.locked$ emits true/false
 * ...
 * mon.cancel(); await session.close();
 * ```
 * For an immutable, auto-resyncing replica built on monitors see src/replica.
 */
export { JsonFramer, FramingError, type FramerOptions } from './framer.js';
export {
  parseSchema,
  parseColumnType,
  columnKind,
  SchemaError,
  type AtomicType,
  type BaseType,
  type ColumnType,
  type ColumnSchema,
  type TableSchema,
  type DatabaseSchema,
} from './schema.js';
export {
  namedUuid,
  NamedUuid,
  DatumError,
  ZERO_UUID,
  isUuid,
  compareAtoms,
  datumEqual,
  rowsEqual,
  decodeAtom,
  decodeAtoms,
  decodePairs,
  decodeDatum,
  defaultDatum,
  decodeRow,
  applyColumnDiff,
  applyRowDiff,
  encodeAtom,
  encodeSet,
  encodeMap,
  encodeDatum,
  encodeRow,
  rowOfValues,
  type Atom,
  type AtomInput,
  type Row,
} from './datum.js';
export {
  ops,
  encodeOperation,
  encodeCondition,
  decodeOperationResult,
  type Operation,
  type OperationResult,
  type Condition,
  type ConditionFunction,
  type Mutation,
  type Mutator,
} from './operations.js';
export { RpcError, DisconnectedError, TimeoutError, ProtocolError, TransactError } from './errors.js';
export { JsonRpcConnection, type JsonRpcHandlers, type JsonRpcOptions, type ReplyCallback } from './jsonrpc.js';
export { parseRemote, parseRemotes, formatRemote, openTransport, type Remote, type SslOptions } from './transport.js';
export { silentLogger, type Logger, type LogFn } from './logger.js';
export {
  OvsdbSession,
  Monitor,
  OvsdbLock,
  decodeTableUpdates,
  type SessionOptions,
  type SessionState,
  type BackoffOptions,
  type MonitorMethod,
  type MonitorTableRequest,
  type MonitorRequests,
  type MonitorEvent,
  type MonitorListener,
  type InsertCompleter,
  type MonitorOptions,
  type RowChange,
  type TableUpdates,
} from './session.js';
