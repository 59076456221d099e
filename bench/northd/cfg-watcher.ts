import net from 'node:net';
import { jsonEnd } from '../topology/gen.js';

/**
 * A raw JSON-RPC `monitor` of NB_Global {nb_cfg, sb_cfg} that timestamps (performance.now())
 * when each nb_cfg / sb_cfg value is first seen. The same observer for both daemons: an
 * operation's northd time is t(sb_cfg >= N) - t(nb_cfg = N), N = the nb_cfg ovn-nbctl set.
 */
export class CfgWatcher {
  readonly nbCfgAt = new Map<number, number>();
  readonly sbCfgAt = new Map<number, number>();
  private sbCfg = 0;
  private readonly sock: net.Socket;
  private waiters: (() => void)[] = [];
  private constructor(path: string) {
    this.sock = net.connect({ path });
    let buf = '';
    this.sock.setEncoding('utf8');
    this.sock.on('error', () => {});
    this.sock.on('data', (d: string) => {
      const now = performance.now();
      buf += d;
      for (;;) {
        const end = jsonEnd(buf);
        if (end < 0) return;
        const msg = JSON.parse(buf.slice(0, end)) as { id: unknown; method?: string; params?: unknown[]; result?: unknown };
        buf = buf.slice(end);
        if (msg.method === 'echo') this.sock.write(JSON.stringify({ id: msg.id, result: msg.params, error: null }));
        else if (msg.method === 'update') this.apply(msg.params![1], now);
        else if (msg.id === 'mon') this.apply(msg.result, now);
      }
    });
    this.sock.on('connect', () => this.sock.write(JSON.stringify({ id: 'mon', method: 'monitor', params: ['OVN_Northbound', null, { NB_Global: { columns: ['nb_cfg', 'sb_cfg'] } }] })));
  }
  static async open(path: string): Promise<CfgWatcher> {
    const w = new CfgWatcher(path);
    await new Promise<void>((r, j) => {
      w.sock.once('connect', () => r());
      w.sock.once('error', j);
    });
    return w;
  }
  private apply(upd: unknown, now: number): void {
    const t = (upd as Record<string, Record<string, { new?: { nb_cfg?: number; sb_cfg?: number } }>> | null)?.NB_Global ?? {};
    for (const r of Object.values(t)) {
      const n = r.new;
      if (!n) continue;
      if (typeof n.nb_cfg === 'number' && !this.nbCfgAt.has(n.nb_cfg)) this.nbCfgAt.set(n.nb_cfg, now);
      if (typeof n.sb_cfg === 'number' && !this.sbCfgAt.has(n.sb_cfg)) {
        this.sbCfgAt.set(n.sb_cfg, now);
        this.sbCfg = Math.max(this.sbCfg, n.sb_cfg);
      }
    }
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** performance.now() when sb_cfg first reached >= cfg. */
  async sbCfgReached(cfg: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = [...this.sbCfgAt].filter(([v]) => v >= cfg).map(([, t]) => t);
      if (hits.length) return Math.min(...hits);
      if (Date.now() > deadline) throw new Error(`sb_cfg did not reach ${cfg}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
  close(): void {
    this.sock.destroy();
  }
}
