/** Opening stream connections to OVSDB remotes: `unix:PATH`, `tcp:HOST:PORT`, `ssl:HOST:PORT`. */
import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import type { Duplex } from 'node:stream';

export type Remote =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp' | 'ssl'; readonly host: string; readonly port: number };

export interface SslOptions {
  /** PEM private key file (OVS `--private-key`). */
  readonly privateKey?: string;
  /** PEM certificate file (OVS `--certificate`). */
  readonly certificate?: string;
  /** PEM CA certificate file used to verify the server (OVS `--ca-cert`). */
  readonly caCert?: string;
}

const DEFAULT_PORT = 6640;

/** Parse one remote. Throws on a syntax error. */
export function parseRemote(s: string): Remote {
  const t = s.trim();
  if (t.startsWith('unix:')) {
    const path = t.slice(5);
    if (!path) throw new Error(`bad remote ${s}: empty path`);
    return { kind: 'unix', path };
  }
  const m = /^(tcp|ssl):(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(t);
  if (!m) throw new Error(`bad remote ${JSON.stringify(s)} (expected unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT)`);
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORT;
  if (!(port > 0 && port < 65536)) throw new Error(`bad remote ${s}: bad port`);
  return { kind: m[1] as 'tcp' | 'ssl', host, port };
}

/** Split a comma-separated list of remotes (or an array of such lists). */
export function parseRemotes(spec: string | readonly string[]): Remote[] {
  const parts = (typeof spec === 'string' ? [spec] : spec).flatMap((x) => x.split(','));
  const out = parts.map((p) => p.trim()).filter((p) => p.length > 0).map(parseRemote);
  if (out.length === 0) throw new Error('no remote given');
  return out;
}

export function formatRemote(r: Remote): string {
  if (r.kind === 'unix') return `unix:${r.path}`;
  return `${r.kind}:${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`;
}

/** Connect; resolves once the stream is usable (TLS handshake done for ssl). */
export function openTransport(r: Remote, ssl: SslOptions | undefined, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let sock: net.Socket;
    const readyEvent = r.kind === 'ssl' ? 'secureConnect' : 'connect';
    try {
      if (r.kind === 'unix') sock = net.connect({ path: r.path });
      else if (r.kind === 'tcp') sock = net.connect({ host: r.host, port: r.port });
      else {
        sock = tls.connect({
          host: r.host,
          port: r.port,
          ...(ssl?.privateKey ? { key: fs.readFileSync(ssl.privateKey) } : {}),
          ...(ssl?.certificate ? { cert: fs.readFileSync(ssl.certificate) } : {}),
          ...(ssl?.caCert ? { ca: fs.readFileSync(ssl.caCert) } : {}),
          // OVS verifies the peer against the CA but not the host name.
          rejectUnauthorized: !!ssl?.caCert,
          checkServerIdentity: () => undefined,
        });
      }
    } catch (e) {
      reject(e);
      return;
    }
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`connection to ${formatRemote(r)} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (e: Error): void => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    sock.once('error', onError);
    sock.once(readyEvent, () => {
      clearTimeout(timer);
      sock.off('error', onError);
      sock.setNoDelay?.(true);
      resolve(sock);
    });
  });
}
