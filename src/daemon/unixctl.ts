// A unixctl server that `ovn-appctl -t SOCKET <command> [args]` can talk to:
// JSON-RPC over a unix socket, one request per command, reply
// {"result": text, "error": null, "id": …} or {"result": null, "error": text}.
import { createServer, type Server, type Socket } from 'node:net';
import { unlinkSync, existsSync } from 'node:fs';
import { JsonFramer } from '../ovsdb/framer.js';

export type UnixctlHandler = (args: string[]) => string | Promise<string>;

interface Command {
  readonly usage: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly handler: UnixctlHandler;
}

export class UnixctlServer {
  private readonly commands = new Map<string, Command>();
  private server: Server | undefined;

  constructor(readonly path: string) {
    this.register('list-commands', '', 0, 0, () =>
      'The available commands are:\n' +
      [...this.commands.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, c]) => `  ${name}${c.usage ? ' ' + c.usage : ''}\n`)
        .join(''),
    );
  }

  register(name: string, usage: string, minArgs: number, maxArgs: number, handler: UnixctlHandler): void {
    this.commands.set(name, { usage, minArgs, maxArgs, handler });
  }

  async listen(): Promise<void> {
    if (existsSync(this.path)) unlinkSync(this.path);
    this.server = createServer((sock) => this.serve(sock));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.path, () => resolve());
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  private serve(sock: Socket): void {
    const framer = new JsonFramer({ maxMessageSize: 1 << 20 });
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk) => {
      let msgs: unknown[];
      try {
        msgs = framer.push(chunk);
      } catch {
        sock.destroy();
        return;
      }
      for (const m of msgs) void this.dispatch(sock, m);
    });
  }

  private async dispatch(sock: Socket, msg: unknown): Promise<void> {
    const req = msg as { id?: unknown; method?: unknown; params?: unknown };
    if (typeof req !== 'object' || req === null || typeof req.method !== 'string') return;
    const args = Array.isArray(req.params) ? req.params.map(String) : [];
    const reply = (result: string | null, error: string | null) =>
      sock.write(JSON.stringify({ id: req.id ?? null, result, error }));
    const cmd = this.commands.get(req.method);
    if (!cmd) return void reply(null, `"${req.method}" is not a valid command (use "list-commands" to see a list of valid commands)`);
    if (args.length < cmd.minArgs) return void reply(null, `"${req.method}" command requires at least ${cmd.minArgs} arguments`);
    if (args.length > cmd.maxArgs) return void reply(null, `"${req.method}" command takes at most ${cmd.maxArgs} arguments`);
    try {
      reply(await cmd.handler(args), null);
    } catch (e) {
      reply(null, e instanceof Error ? e.message : String(e));
    }
  }
}
