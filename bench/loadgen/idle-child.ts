// Opens N keep-alive connections, sends one request on each, then holds them idle:
// `node idle-child.js <port> <n>`. Prints "ready <ok> <failed>" once every connection has its
// response, then "closed <n>" (connections the proxy dropped meanwhile) on SIGTERM.
import { connect } from 'node:net';
import type { Socket } from 'node:net';

const BATCH = 200;
const REQUEST = 'GET /small HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n';

function openOne(port: number, held: Socket[], onDropped: () => void): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let settled = false;
    const settle = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      resolve(ok);
    };
    sock.setTimeout(15_000, () => sock.destroy());
    sock.on('error', () => settle(false));
    sock.on('close', () => {
      if (settled) onDropped();
      settle(false);
    });
    sock.once('connect', () => sock.write(REQUEST));
    // The reply is a few hundred bytes: one read has it all.
    sock.once('data', () => {
      sock.setTimeout(0);
      held.push(sock);
      settle(true);
    });
  });
}

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const n = Number(process.argv[3]);
  const held: Socket[] = [];
  let ok = 0;
  let dropped = 0;
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<boolean>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) batch.push(openOne(port, held, () => dropped++));
    for (const r of await Promise.all(batch)) if (r) ok++;
  }
  process.stdout.write(`ready ${ok} ${n - ok}\n`);
  // Held until the runner has measured, then told to go with SIGTERM.
  setInterval(() => undefined, 60_000);
  process.on('SIGTERM', () => {
    process.stdout.write(`closed ${dropped}\n`);
    for (const s of held) s.destroy();
    process.exit(0);
  });
}

void main();
