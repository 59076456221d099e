// SB BFD (build_bfd_table, and what the static routes and
// bfd_cleanup_connections do to the sessions' NB status): one SB row per NB
// BFD session, keyed by (logical_port, dst_ip), from which ovn-controller
// runs the session and into which it writes the session's state.
//   - a new row gets the lowest UDP source port from 49152 that no SB row
//     holds (sessions taken in the NB table's order) and a random
//     discriminator; an existing row keeps both;
//   - min_tx/min_rx/detect_mult come from NB (defaults 1000/1000/5);
//   - the status: see bfd-status.ts; then a session that a valid static
//     route watches goes from admin_down to down (its routes stay out until
//     it is up), and one that had an SB row but no route left goes to
//     admin_down.  The NB keeps the final status (written back by the daemon).
// The compile stays pure: discriminators are a hash of the session's NB UUID
// and a seed the daemon draws at random (FreshRandom.bfdDiscSeed).
import { deriveContext, type CompileContext } from './context.js';
import type { DesiredBfd } from './desired.js';
import type { NbBFD } from '../model/nb.js';
import type { SbBFD } from '../model/sb.js';
import { hashString, idlOrder } from './hmap.js';
import { syncedBfdStatus, type BfdStatus } from './bfd-status.js';
import { staticRouteBfdSession } from './router/routing.js';
import type { Topology } from './topology.js';

/** RFC 5881 4: source ports 49152..65535, one per session (the reference's bitmap stops one short). */
export const BFD_SRC_PORT_FIRST = 49152;
export const BFD_SRC_PORT_LAST = 65534;
export const BFD_DEFAULT_MIN_TX = 1000;
export const BFD_DEFAULT_MIN_RX = 1000;
export const BFD_DEFAULT_DETECT_MULT = 5;

export function bfdKey(logicalPort: string, dstIp: string): string {
  return `${logicalPort}\u0000${dstIp}`;
}

/** A new session's discriminator: 1 + a 32-bit value, never 0. */
export function bfdDisc(seed: number, nbUuid: string): number {
  return 1 + (hashString(nbUuid, seed >>> 0 || 1) % 0xffffffff);
}

/** The lowest source port no SB row holds; undefined when all are taken. */
export class SrcPorts {
  private readonly used = new Set<number>();
  private next = BFD_SRC_PORT_FIRST;
  constructor(rows: Iterable<SbBFD>) {
    for (const r of rows) this.used.add(r.src_port);
  }
  take(): number | undefined {
    while (this.next <= BFD_SRC_PORT_LAST && this.used.has(this.next)) this.next++;
    if (this.next > BFD_SRC_PORT_LAST) return undefined;
    this.used.add(this.next);
    return this.next;
  }
}

/** The NB sessions (UUIDs) that some router's valid static route watches. */
export function sessionsInUse(ctx: CompileContext, topo: Topology): Set<string> {
  const out = new Set<string>();
  // The router units already warn about bad routes.
  const quiet = deriveContext(ctx, { warn: () => undefined });
  for (const r of topo.routers) {
    for (const u of r.nb.static_routes) {
      const route = ctx.nb.Logical_Router_Static_Route.get(u);
      if (route?.bfd === undefined) continue;
      const s = staticRouteBfdSession(quiet, topo, r, route);
      if (s !== undefined) out.add(s);
    }
  }
  return out;
}

export interface BfdResult {
  readonly rows: ReadonlyMap<string, DesiredBfd>;
  /** NB BFD UUID → its status once the run is over. */
  readonly nbStatus: ReadonlyMap<string, BfdStatus>;
}

/** build_bfd_table() and the status rules above, from scratch. */
export function buildBfd(nbRows: Iterable<NbBFD>, sbRows: ReadonlyMap<string, SbBFD>, inUse: ReadonlySet<string>, discSeed: number): BfdResult {
  const sbByKey = new Map<string, SbBFD>();
  for (const r of sbRows.values()) {
    const k = bfdKey(r.logical_port, r.dst_ip);
    if (!sbByKey.has(k)) sbByKey.set(k, r);
  }
  const ports = new SrcPorts(sbRows.values());
  const rows = new Map<string, DesiredBfd>();
  const nbStatus = new Map<string, BfdStatus>();
  for (const b of idlOrder(nbRows)) {
    const key = bfdKey(b.logical_port, b.dst_ip);
    const have = sbByKey.get(key);
    let status: BfdStatus;
    let hadRow = false;
    const conf = { min_tx: b.min_tx ?? BFD_DEFAULT_MIN_TX, min_rx: b.min_rx ?? BFD_DEFAULT_MIN_RX, detect_mult: b.detect_mult ?? BFD_DEFAULT_DETECT_MULT };
    if (have) {
      status = syncedBfdStatus(b.status, have.status);
      hadRow = true;
      rows.set(key, { logical_port: b.logical_port, dst_ip: b.dst_ip, src_port: have.src_port, disc: have.disc, status, ...conf });
    } else {
      status = b.status ?? 'admin_down';
      const port = ports.take();
      if (port !== undefined) rows.set(key, { logical_port: b.logical_port, dst_ip: b.dst_ip, src_port: port, disc: bfdDisc(discSeed, b._uuid), status, ...conf });
    }
    // What the routes and the cleanup after them do to the NB status.
    if (inUse.has(b._uuid)) {
      if (status === 'admin_down') status = 'down';
    } else if (hadRow && status !== 'admin_down') {
      status = 'admin_down';
    }
    nbStatus.set(b._uuid, status);
  }
  return { rows, nbStatus };
}

function sameBfd(a: DesiredBfd, b: DesiredBfd): boolean {
  return (
    a.logical_port === b.logical_port &&
    a.dst_ip === b.dst_ip &&
    a.src_port === b.src_port &&
    a.disc === b.disc &&
    a.status === b.status &&
    a.min_tx === b.min_tx &&
    a.min_rx === b.min_rx &&
    a.detect_mult === b.detect_mult
  );
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const EMPTY: BfdResult = { rows: new Map(), nbStatus: new Map() };

/** The desired BFD rows and NB statuses, kept from run to run (one per Compiler). */
export class BfdSync {
  private inputs: readonly unknown[] = [];
  private out: BfdResult = EMPTY;

  update(ctx: CompileContext, topo: Topology, discSeed: number): BfdResult {
    if (!ctx.nb.BFD.size && !ctx.sb.BFD.size) return (this.out = EMPTY);
    // Route validity reads the routers (their ports and networks) and the routes.
    const inputs: unknown[] = [ctx.nb.BFD, ctx.sb.BFD, ctx.nb.Logical_Router_Static_Route, discSeed, ...topo.routers];
    if (sameList(inputs, this.inputs)) return this.out;
    this.inputs = inputs;
    const next = buildBfd(ctx.nb.BFD.values(), ctx.sb.BFD, sessionsInUse(ctx, topo), discSeed);
    // Unchanged rows keep their objects, unchanged maps too (the SB differ compares by identity).
    const prev = this.out;
    const rows = new Map<string, DesiredBfd>();
    for (const [k, r] of next.rows) {
      const old = prev.rows.get(k);
      rows.set(k, old && sameBfd(old, r) ? old : r);
    }
    const sameRows = rows.size === prev.rows.size && [...rows].every(([k, r]) => prev.rows.get(k) === r);
    const sameStatus = next.nbStatus.size === prev.nbStatus.size && [...next.nbStatus].every(([k, s]) => prev.nbStatus.get(k) === s);
    this.out = { rows: sameRows ? prev.rows : rows, nbStatus: sameStatus ? prev.nbStatus : next.nbStatus };
    return this.out;
  }
}
