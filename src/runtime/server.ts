// The stats sockets of `global`: unix sockets (file mode applied, a stale file from a crashed run
// replaced, the file removed on exit) and TCP listeners, each with its own level. Connections are
// CliSessions.
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { Server, Socket } from 'node:net';
import type { StatsSocketModel } from '../config/model';
import type { CommandRegistry } from './registry';
import type { RuntimeServices } from './services';
import { CliSession } from './session';

export const DEFAULT_SOCKET_MODE = 0o600;

export function describeSocket(s: StatsSocketModel): string {
  return s.kind === 'unix' ? (s.path ?? '') : `${s.host ?? ''}:${s.port ?? 0}`;
}

/** Resolves when nothing answers on the unix socket path (a leftover of a crashed run). */
function isStale(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(false);
    });
    c.once('error', () => resolve(true));
  });
}

async function prepareUnixPath(path: string): Promise<void> {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!st.isSocket()) throw new Error(`'${path}' exists and is not a socket`);
  if (!(await isStale(path))) throw new Error(`'${path}' is in use by another running process`);
  unlinkSync(path);
}

function listen(server: Server, s: StatsSocketModel): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (s.kind === 'unix') server.listen(s.path ?? '', done);
    else server.listen(s.port ?? 0, s.host ?? '127.0.0.1', done);
  });
}

export class StatsSockets {
  private readonly servers: { server: Server; model: StatsSocketModel }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly paths: string[] = [];

  constructor(
    private readonly registry: CommandRegistry,
    private readonly rt: RuntimeServices,
  ) {}

  /** Opens every socket; throws (with the socket named) when one cannot be opened. */
  async open(models: readonly StatsSocketModel[], idleTimeoutMs: number): Promise<void> {
    for (const m of models) {
      // half-open: socat shuts its side down after the command and still waits for the reply
      const server = net.createServer({ allowHalfOpen: true }, (sock) => {
        this.sockets.add(sock);
        sock.on('close', () => this.sockets.delete(sock));
        new CliSession(sock, m.level, this.registry, this.rt, idleTimeoutMs);
      });
      // a failing accept must not take the primary down
      server.on('error', (err) => this.rt.log.warn({ err, socket: describeSocket(m) }, 'stats socket error'));
      try {
        if (m.kind === 'unix') await prepareUnixPath(m.path ?? '');
        await listen(server, m);
        if (m.kind === 'unix') {
          this.paths.push(m.path ?? '');
          chmodSync(m.path ?? '', m.mode ?? DEFAULT_SOCKET_MODE);
        }
      } catch (err) {
        throw new Error(
          `cannot open stats socket '${describeSocket(m)}': ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      this.servers.push({ server, model: m });
    }
  }

  /** the bound port of a TCP socket (tests bind port 0) */
  addresses(): { model: StatsSocketModel; address: string | net.AddressInfo | null }[] {
    return this.servers.map((s) => ({ model: s.model, address: s.server.address() }));
  }

  /** Stops listening, drops open connections, removes the socket files. Synchronous: safe in 'exit'. */
  close(): void {
    for (const { server } of this.servers) server.close();
    for (const s of this.sockets) s.destroy();
    this.servers.length = 0;
    for (const p of this.paths) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
    this.paths.length = 0;
  }
}
