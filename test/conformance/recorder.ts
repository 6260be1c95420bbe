// A backend that records every request it receives (complete or not) and answers 200, so a case
// can prove that nothing — or exactly what it expects — reached the server behind the proxy.
import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: readonly string[];
  body: string;
  /** the whole body arrived (an aborted request stays false) */
  complete: boolean;
}

export interface Recorder {
  readonly port: number;
  readonly seen: Recorded[];
  /** requests whose target mentions `tag` (cases tag their targets with their id) */
  tagged(tag: string): Recorded[];
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const seen: Recorded[] = [];
  const socks = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const r: Recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      body: '',
      complete: false,
    };
    seen.push(r);
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('error', () => {});
    req.on('end', () => {
      r.body = Buffer.concat(chunks).toString('latin1');
      r.complete = true;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    });
  });
  server.on('connection', (s: net.Socket) => {
    socks.add(s);
    s.on('close', () => socks.delete(s));
  });
  server.on('clientError', (_err, s: net.Socket) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    tagged: (tag) => seen.filter((r) => new RegExp(`/${tag}(?![0-9a-z])`).test(r.url)),
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}
