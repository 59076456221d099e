// The northd main loop: replicate NB and SB, hold the SB lock "ovn_northd",
// and whenever either database changes compile NB → desired SB, write the
// difference into the SB in one transaction, then write back into the NB
// what the reference writes back (options, sb_cfg/hv_cfg, LSP up, dynamic
// addresses). Bursts of changes coalesce: while a run is in flight, further
// changes only mark the state dirty and cause exactly one more run.
import type { Logger } from 'pino';
import { Subscription } from 'rxjs';
import { OvsdbSession, ops, type Operation, type OperationResult, type SslOptions } from '../ovsdb/index.js';
import { createReplica, type ReplicaObservable, type ReplicaSnapshot } from '../replica/index.js';
import type { NbView, SbView } from '../compile/context.js';
import { Compiler, type CompileStats } from '../compile/compiler.js';
import { compile } from '../compile/compile.js';
import type { DesiredSb } from '../compile/desired.js';
import { compareDesired } from '../compile/compare-desired.js';
import { randomFresh, type FreshRandom } from '../compile/global.js';
import { SbDiffer } from '../sb/sb-differ.js';
import { ECHO_FREE_REQUESTS, OwnInserts } from '../sb/own-inserts.js';
import { SbFlowIndex } from '../sb/flow-index.js';
import { computeBfdWriteback, computeLspWriteback, computeNbGlobalWriteback, nbWithLspUp } from './nb-writeback.js';
import { RateLimitedLog } from './rate-limit.js';
import { OwnWrites } from './own-writes.js';
import { LspUpTracker } from './lsp-up.js';
import { collectGarbage } from './gc.js';
import { smapGetBool } from '../model/smap.js';

export const NB_DB = 'OVN_Northbound';
export const SB_DB = 'OVN_Southbound';
export const LOCK_NAME = 'ovn_northd';

export interface NorthdOptions {
  readonly nbRemote: string;
  readonly sbRemote: string;
  readonly ssl?: SslOptions;
  readonly logger: Logger;
  readonly probeInterval?: number;
  /** Every this many ms, also compile from scratch and log any divergence from the incremental result. */
  readonly selfCheckMs?: number;
  /**
   * Freeze the replicas' rows (default true): a mutation anywhere throws. The
   * tests keep it on; the daemon turns it off, since freezing a cold start's
   * rows one by one costs a few hundred ms on its critical path.
   */
  readonly freezeRows?: boolean;
}

export interface RunStats {
  runs: number;
  fullRecomputes: number;
  lastCompile: CompileStats | undefined;
  selfChecks: number;
  selfCheckFailures: number;
  lastCompileMs: number;
  lastSbOps: number;
  lastSbBytes: number;
  /** Operations and bytes of the last SB transaction sent (kept by runs that send none). */
  lastTxn: { ops: number; bytes: number };
  /** Wall time of each phase of the last run, in ms (inc-engine/show-stats, benchmarks). */
  lastPhases: Record<string, number>;
  /** The last few runs, oldest first: their phases, compile stats and SB operations (benchmarks). */
  recent: { phases: Record<string, number>; compile: CompileStats | undefined; sbOps: number }[];
  lastError: string | undefined;
}

/** Kept rows of an SB transaction built per turn of the event loop while it commits. */
const KEPT_ROWS_SLICE = 4000;

/** Operations in a transaction above which the daemon collects garbage while it commits. */
const BIG_TRANSACTION = 20_000;

export class Northd {
  readonly nb: OvsdbSession;
  readonly sb: OvsdbSession;
  private readonly log: Logger;
  private readonly warnings: RateLimitedLog;
  private nbSnap: ReplicaSnapshot | undefined;
  private sbSnap: ReplicaSnapshot | undefined;
  private locked = false;
  private paused = false;
  private running = false;
  private dirty = false;
  /** SB commits rejected in a row, and the timer of the delayed retry (never a tight loop). */
  private sbFailures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** nb_cfg of the last SB transaction that committed (the reference's cur_cfg). */
  private sbCfg: number | undefined;
  private fresh: FreshRandom = randomFresh();
  private readonly subs = new Subscription();
  private idleWaiters: (() => void)[] = [];
  private sbReplica: ReplicaObservable | undefined;
  /** While an SB transaction is in flight: the rows it inserts whose notifications are partial. */
  private ownRows: OwnInserts | undefined;
  /** While a run is writing: recognises the monitor updates that echo our own writes. */
  private ownWrites: { nb: OwnWrites; sb: OwnWrites } | undefined;
  readonly stats: RunStats = {
    runs: 0,
    fullRecomputes: 0,
    lastCompile: undefined,
    selfChecks: 0,
    selfCheckFailures: 0,
    lastCompileMs: 0,
    lastSbOps: 0,
    lastSbBytes: 0,
    lastTxn: { ops: 0, bytes: 0 },
    lastPhases: {},
    recent: [],
    lastError: undefined,
  };
  /** The incremental compiler; replaced by a fresh one for a full recompute. */
  private compiler: Compiler;
  private needRecompute = true;
  /** The SB may not hold the last desired state (failed commit, lock change, someone else's write). */
  private needFullSbDiff = true;
  /** SB flows by content; keys are the compiler's own strings where it has the flow. */
  private readonly flowIndex = new SbFlowIndex((k) => this.compiler.internFlowKey(k));
  /** The SB differ, which remembers what the previous run left equal. */
  private readonly sbDiffer = new SbDiffer();
  /** Logical_Switch_Port.up derived from Port_Binding, updated from the rows that changed. */
  private lspUp = new LspUpTracker();
  private selfCheckDue = false;
  private selfCheckTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: NorthdOptions) {
    this.log = opts.logger;
    this.warnings = new RateLimitedLog(this.log, 5, 1000);
    const common = { logger: this.log, ...(opts.probeInterval !== undefined ? { probeInterval: opts.probeInterval } : {}), ...(opts.ssl ? { ssl: opts.ssl } : {}) };
    this.nb = new OvsdbSession({ remote: opts.nbRemote, database: NB_DB, ...common });
    this.sb = new OvsdbSession({ remote: opts.sbRemote, database: SB_DB, ...common });
    this.compiler = new Compiler(this.fresh);
  }

  start(): void {
    const freeze = this.opts.freezeRows ?? true;
    const nb$ = createReplica(this.nb, NB_DB, undefined, { freeze });
    // Logical_Flow, Port_Binding and Multicast_Group rows are inserted by us alone: an insert
    // notification carries one column, and the replica completes it from the rows this
    // daemon sent (the server serialises, and we parse, a fraction of a cold start's echo).
    // Updates are applied a turn after they arrive: a transaction's reply, which follows
    // its echo, is seen first, so sb_cfg goes out before the echo is applied (at a cold
    // start, a second); compileAndCommit waits for it with applied().
    const sb$ = createReplica(this.sb, SB_DB, undefined, {
      freeze,
      requests: ECHO_FREE_REQUESTS,
      completeInsert: (_table, uuid) => this.ownRows?.get(uuid),
      deferUpdates: true,
    });
    this.sbReplica = sb$;
    this.subs.add(
      nb$.subscribe((u) => {
        this.nbSnap = u.snapshot;
        // A (re)connection's initial contents: start over from a full recompute.
        if (u.initial) {
          this.needRecompute = true;
          this.log.debug('OVNNB initial contents received');
        }
        if (u.initial || !this.ownWrites?.nb.explains(u.changes)) this.kick();
      }),
    );
    this.subs.add(
      sb$.subscribe((u) => {
        this.sbSnap = u.snapshot;
        if (u.initial) {
          this.needRecompute = true;
          this.log.debug('OVNSB initial contents received');
        }
        const explained = !u.initial && this.ownWrites?.sb.explains(u.changes) === true;
        // Someone else wrote flows (or we missed our own echo): compare all flows next time.
        if (!explained && (u.changes['Logical_Flow'] || u.changes['Logical_DP_Group'])) this.needFullSbDiff = true;
        if (!explained) this.kick();
      }),
    );
    const lock = this.sb.lock(LOCK_NAME);
    if (this.opts.selfCheckMs) {
      this.selfCheckTimer = setInterval(() => {
        this.selfCheckDue = true;
        this.kick();
      }, this.opts.selfCheckMs);
      this.selfCheckTimer.unref();
    }
    this.subs.add(
      lock.locked$.subscribe((locked) => {
        if (locked !== this.locked) {
          this.log.info(locked ? 'ovn-northd lock acquired. This ovn-northd instance is now active.' : 'ovn-northd lock lost. This ovn-northd instance is now on standby.');
        }
        if (locked && !this.locked) this.needFullSbDiff = true;
        this.locked = locked;
        this.kick();
      }),
    );
  }

  get status(): string {
    return this.paused ? 'paused' : this.locked ? 'active' : 'standby';
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Forces a full recompute (fresh compiler, every SB row compared) on the next run. */
  recompute(): void {
    this.needRecompute = true;
    this.kick();
  }

  /** The incremental compiler's units and their dependencies (inc-engine/show-graph). */
  describeGraph(verbose = false): string {
    return this.compiler.describeGraph({ verbose });
  }

  /** Resolves once no run is in flight or pending. */
  whenIdle(): Promise<void> {
    if (!this.running && !this.dirty) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.selfCheckTimer) clearInterval(this.selfCheckTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.subs.unsubscribe();
    await Promise.allSettled([this.nb.close(), this.sb.close()]);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    // Let a burst of notifications land before compiling.
    setImmediate(() => void this.loop());
  }

  /**
   * A rejected SB commit is retried at once the first time (someone else's concurrent
   * write), then after 0.1 s, 0.2 s, ... up to 5 s while it keeps failing (input the SB
   * refuses, such as an out-of-range requested tunnel key): never a tight loop, and one
   * warning per retry at most.  Any NB or SB change still runs at once.
   */
  private retryAfterSbFailure(err: string): void {
    this.sbFailures++;
    if (this.sbFailures === 1) {
      this.log.warn({ err }, 'OVNSB commit failed, force recompute next time.');
      this.dirty = true;
      return;
    }
    const delay = Math.min(5000, 100 * 2 ** (this.sbFailures - 2));
    this.log.warn({ err, failures: this.sbFailures, retryMs: delay }, 'OVNSB commit failed again; retrying later.');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, delay);
    this.retryTimer.unref?.();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.dirty = false;
        await this.runOnce();
      } while (this.dirty && !this.stopped);
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async runOnce(): Promise<void> {
    if (!this.nbSnap || !this.sbSnap || !this.locked || this.paused) return;
    this.ownWrites = { nb: new OwnWrites(), sb: new OwnWrites() };
    try {
      await this.compileAndCommit(this.nbSnap, this.sbSnap, this.ownWrites);
    } finally {
      this.ownWrites = undefined;
    }
    this.stats.recent.push({ phases: this.stats.lastPhases, compile: this.stats.lastCompile, sbOps: this.stats.lastSbOps });
    if (this.stats.recent.length > 8) this.stats.recent.shift();
    if (this.log.isLevelEnabled('debug')) {
      const phases = Object.fromEntries(Object.entries(this.stats.lastPhases).map(([k, v]) => [k, Math.round(v * 10) / 10]));
      this.log.debug({ run: this.stats.runs, sbOps: this.stats.lastSbOps, phases }, 'run finished');
    }
  }

  private async compileAndCommit(nbSnap: ReplicaSnapshot, sbSnap: ReplicaSnapshot, own: { nb: OwnWrites; sb: OwnWrites }): Promise<void> {
    const nb = nbSnap.tables as unknown as NbView;
    const sb = sbSnap.tables as unknown as SbView;
    const loopStart = Date.now();
    this.stats.runs++;

    const phases: Record<string, number> = {};
    this.stats.lastPhases = phases;
    let tp = performance.now();
    const lap = (name: string): void => {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + (now - tp);
      tp = now;
    };
    const t0 = tp;
    const full = this.needRecompute;
    if (full) this.lspUp = new LspUpTracker();
    this.lspUp.update(nb, sb);
    const nbSeen = nbWithLspUp(nb, sb, this.lspUp.mismatches());
    lap('lspUp');
    if (full) {
      this.compiler = new Compiler(this.fresh);
      this.needRecompute = false;
      this.needFullSbDiff = true;
      this.stats.fullRecomputes++;
    }
    let result;
    try {
      result = this.compiler.run({ nb: nbSeen, sb });
    } catch (e) {
      // Never leave a half-updated compiler behind: the next run starts from scratch.
      this.needRecompute = true;
      throw e;
    }
    const desired = result.desired;
    lap('compile');
    this.stats.lastCompileMs = performance.now() - t0;
    this.stats.lastCompile = result.stats;
    for (const d of desired.diagnostics) this.warnings.warn(d.key, d.message);
    if (this.selfCheckDue) {
      this.selfCheckDue = false;
      this.selfCheck(desired, nbSeen, sb);
    }

    const nbGlobal = nb.NB_Global.values().next().value;
    const sbGlobal = sb.SB_Global.values().next().value;
    const nbOps: Operation[] = [];
    if (!nbGlobal) nbOps.push(ops.insert('NB_Global', {}));

    const fullDiff = this.needFullSbDiff;
    lap('other');
    this.flowIndex.update(sb);
    lap('flowIndex');
    const sbSchema = this.sb.cachedSchema(SB_DB);
    if (!sbSchema) throw new Error('SB schema not known yet');
    const ownInserts = new OwnInserts(sbSchema);
    const diff = this.sbDiffer.diff(
      desired,
      sb,
      fullDiff ? undefined : { changedFlowKeys: result.changedFlowKeys, datapathOnlyKeys: result.datapathOnlyKeys, index: this.flowIndex },
      ownInserts,
    );
    lap('sbDiff');
    // From here the SB holds this desired state once the transaction commits; a failure sets it back.
    this.needFullSbDiff = false;
    const sbOps: Operation[] = [ops.assert(LOCK_NAME), ...diff.ops];
    const nbCfg = nbGlobal?.nb_cfg ?? 0;
    if (sbGlobal && sbGlobal.nb_cfg !== nbCfg) {
      sbOps.push(ops.update('SB_Global', [['_uuid', '==', sbGlobal._uuid]], { nb_cfg: nbCfg }));
      if (nbGlobal) nbOps.push(ops.update('NB_Global', [['_uuid', '==', nbGlobal._uuid]], { nb_cfg_timestamp: loopStart }));
    } else if (!sbGlobal) {
      // The differ inserts SB_Global in this transaction (an empty SB): set its nb_cfg too,
      // so that sb_cfg follows from this commit and not from one more run.
      sbOps.push(ops.update('SB_Global', [], { nb_cfg: nbCfg }));
      if (nbGlobal) nbOps.push(ops.update('NB_Global', [['_uuid', '==', nbGlobal._uuid]], { nb_cfg_timestamp: loopStart }));
    }

    this.stats.lastSbOps = 0;
    this.stats.lastSbBytes = 0;
    let earlyNb: Promise<void> | undefined;
    let nbGlobalTxn: Promise<OperationResult[]> | undefined;
    if (sbOps.length > 1) {
      const sbReplica = this.sbReplica;
      if (!sbReplica) throw new Error('SB replica not started');
      this.stats.lastSbOps = sbOps.length - 1;
      try {
        own.sb.record(sbOps);
        lap('sbEncode');
        const sent = this.sb.charsSent;
        this.ownRows = ownInserts;
        // A big transaction (a cold start): collect its garbage (the operations, their text)
        // once it is all written out, while the server commits and this process waits.
        const big = this.stats.lastSbOps > BIG_TRANSACTION;
        const committed = this.sb.transact(SB_DB, sbOps, big ? { onWritten: () => setImmediate(collectGarbage) } : {});
        // Serialised by now: let the operations go while the server commits (a cold
        // start's are hundreds of MB, which would otherwise add to the peak).
        sbOps.length = 0;
        diff.ops.length = 0;
        earlyNb = this.writeNewPortsUp(ownInserts, sb, own.nb, nbSeen, nbGlobal?.options ?? {});
        // The kept rows' replica form, built a slice at a time while the server commits (the
        // echo needs them; the socket keeps draining between slices).
        const buildKept = (): void => {
          if (this.ownRows === ownInserts && ownInserts.build(KEPT_ROWS_SLICE)) setImmediate(buildKept);
        };
        setImmediate(buildKept);
        // And at once: the diff's garbage, before the kept rows and the echo add to it.
        if (big) setImmediate(collectGarbage);
        // The echo precedes the reply, and is decoded (with these rows) after it.
        await committed.finally(() => {
          void sbReplica.applied().then(() => {
            if (this.ownRows === ownInserts) this.ownRows = undefined;
          });
        });
        // What went out meanwhile: the transaction (and at most a probe reply).
        this.stats.lastSbBytes = Math.max(0, this.sb.charsSent - sent);
        this.stats.lastTxn = { ops: this.stats.lastSbOps, bytes: this.stats.lastSbBytes };
        lap('sbCommit');
        this.sbFailures = 0;
        // sb_cfg first, before anything else is computed (what `--wait=sb` waits for).
        this.sbCfg = nbCfg;
        nbGlobalTxn = this.sendNbGlobal(nbOps, nb, desired, own.nb);
        this.log.debug({ counts: diff.counts }, 'SB transaction committed');
        await sbReplica.applied();
        await this.waitForReplicaAfter(() => this.sbSnap, sbSnap);
        // And once more when its echo (as many rows, parsed) has been applied, now, while
        // the NB commits sb_cfg: the next run (one follows a cold start) starts from a
        // collected heap instead of adding to this one's garbage.
        if (big) collectGarbage();
        // New or deleted datapaths change the datapath walk (SB rows first, as in the
        // reference), which decides the stage-hint of flows several datapaths share: run
        // once more against the SB as it is now, as the reference's next iteration does.
        const dps = diff.counts['Datapath_Binding'];
        if (dps && (dps.insert || dps.delete)) this.dirty = true;
        lap('sbEcho');
      } catch (e) {
        this.stats.lastError = String(e);
        this.needFullSbDiff = true;
        this.retryAfterSbFailure(String(e));
        return;
      }
    }
    // SB_Global.nb_cfg now equals nbCfg: either it already did or we just committed it.
    this.sbCfg = nbCfg;
    nbGlobalTxn ??= this.sendNbGlobal(nbOps, nb, desired, own.nb);

    // The ports' up and dynamic addresses, from the SB as it is after our commit (new
    // Port_Bindings included) and the NB as it is after the ports' up values above.
    if (earlyNb) await earlyNb;
    const sbNow = (this.sbSnap ?? sbSnap).tables as unknown as SbView;
    const nbNow = earlyNb ? ((this.nbSnap ?? nbSnap).tables as unknown as NbView) : nb;
    this.lspUp.update(nbNow, sbNow);
    const lsps = computeLspWriteback(nbNow, sbNow, desired, this.lspUp.mismatches());
    lap('nbWriteback');
    // With options:ignore_lsp_down=false flows depend on Logical_Switch_Port.up: if it now
    // differs from what this compile saw, run again.
    if (!smapGetBool(nbGlobal?.options ?? {}, 'ignore_lsp_down', true)) {
      for (const [uuid, cols] of lsps) {
        if ('up' in cols && nbSeen.Logical_Switch_Port.get(uuid)?.up !== cols['up']) this.dirty = true;
      }
    }
    // A transaction of its own: at a cold start, tens of thousands of rows the NB server
    // takes a second to commit.
    const lspOps: Operation[] = [];
    for (const [uuid, cols] of lsps) lspOps.push(ops.update('Logical_Switch_Port', [['_uuid', '==', uuid]], cols));
    // BFD sessions' status (bfd.ts): the SB rows follow the NB status, so run again once it is written.
    const bfd = computeBfdWriteback(nbNow, desired);
    for (const [uuid, status] of bfd) lspOps.push(ops.update('BFD', [['_uuid', '==', uuid]], { status }));
    if (bfd.size) this.dirty = true;
    let lspTxn: Promise<OperationResult[]> | undefined;
    if (lspOps.length) {
      own.nb.record(lspOps);
      lspTxn = this.nb.transact(NB_DB, lspOps);
    }
    const txns = [nbGlobalTxn, lspTxn].filter((t): t is Promise<OperationResult[]> => t !== undefined);
    if (txns.length) {
      const results = await Promise.allSettled(txns);
      lap('nbCommit');
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        this.stats.lastError = String(failed.reason);
        this.log.info({ err: String(failed.reason) }, 'OVNNB commit failed, force recompute next time.');
        this.dirty = true;
      } else {
        await this.waitForReplicaAfter(() => this.nbSnap, nbSnap);
        lap('nbEcho');
      }
    }
  }

  /**
   * The NB_Global transaction of a run: `ops` (the row's insert, nb_cfg_timestamp) and
   * what northd writes back there (sb_cfg with its timestamp, options, hv_cfg), sent at
   * once; undefined when there is nothing to write. Options are the CMS's column too:
   * ours are written only if nobody changed them since this compile read them (the
   * reference verifies them likewise), otherwise the transaction fails and the next run
   * starts from the new options.
   */
  private sendNbGlobal(nbOps: Operation[], nb: NbView, desired: DesiredSb, own: OwnWrites): Promise<OperationResult[]> | undefined {
    const g = nb.NB_Global.values().next().value;
    const sbNow = this.sbSnap?.tables as unknown as SbView | undefined;
    const cols = g && sbNow ? computeNbGlobalWriteback(nb, sbNow, desired, { sbCfg: this.sbCfg, now: Date.now() }) : undefined;
    if (g && cols) {
      if ('options' in cols) nbOps.push(ops.verify('NB_Global', g._uuid, { options: g.options }));
      nbOps.push(ops.update('NB_Global', [['_uuid', '==', g._uuid]], cols));
    }
    if (!nbOps.length) return undefined;
    own.record(nbOps);
    const txn = this.nb.transact(NB_DB, nbOps);
    // Awaited (settled) at the end of the run, after other awaits: a failure meanwhile is
    // not an unhandled rejection (which would end the process).
    txn.catch(() => undefined);
    return txn;
  }

  /**
   * Ports whose binding this SB transaction creates are down until a chassis
   * claims them (router ports are up). The reference writes that in the same
   * iteration as the SB, so this NB transaction goes beside the SB one (at a
   * cold start, 20,000 ports the NB server commits while the SB server does).
   * Resolves once it is committed (or failed: then the next run retries).
   */
  private writeNewPortsUp(ownInserts: OwnInserts, sb: SbView, own: OwnWrites, nbSeen: NbView, options: Readonly<Record<string, string>>): Promise<void> | undefined {
    const newBindings = ownInserts.rowsOf('Port_Binding').map((r) => r['logical_port'] as string);
    if (!newBindings.length) return undefined;
    const up = this.lspUp.upOfNewBindings(newBindings, sb);
    if (!up.size) return undefined;
    // With ignore_lsp_down=false flows depend on up: run again with the new values.
    if (!smapGetBool(options, 'ignore_lsp_down', true)) {
      for (const [uuid, u] of up) if (nbSeen.Logical_Switch_Port.get(uuid)?.up !== u) this.dirty = true;
    }
    const upOps = [...up].map(([uuid, u]) => ops.update('Logical_Switch_Port', [['_uuid', '==', uuid]], { up: u }));
    own.record(upOps);
    return this.nb.transact(NB_DB, upOps).then(
      () => undefined,
      (e: unknown) => {
        this.log.info({ err: String(e) }, 'OVNNB commit failed, force recompute next time.');
        this.dirty = true;
      },
    );
  }

  /** Shadow full compile; logs every row where it differs from the incremental result. */
  private selfCheck(desired: DesiredSb, nb: NbView, sb: SbView): void {
    this.stats.selfChecks++;
    const t0 = performance.now();
    const divergences = compareDesired(desired, compile({ nb, sb }, this.fresh));
    const ms = performance.now() - t0;
    if (!divergences.length) {
      this.log.debug({ ms }, 'self-check: incremental state equals a full compile');
      return;
    }
    this.stats.selfCheckFailures++;
    this.log.error({ divergences, ms }, `self-check: incremental state differs from a full compile in ${divergences.length} row(s); recomputing`);
    this.needRecompute = true;
    this.dirty = true;
  }

  /**
   * After our own commit, make sure the replica reflects it before the next
   * compile (otherwise we would diff against stale contents and repeat
   * inserts). ovsdb-server sends the update before the reply on the same
   * connection, so this normally returns at once.
   */
  private async waitForReplicaAfter(current: () => ReplicaSnapshot | undefined, before: ReplicaSnapshot): Promise<void> {
    const deadline = Date.now() + 5000;
    while (current() === before && Date.now() < deadline && !this.stopped) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}
