// The fallback fast backend when nginx is not installed: a uWebSockets.js server in its own
// process serving fixed bodies from memory. Run as `node uws-server.js <port>`; prints
// "listening <port>" once ready. uWS, not node:http, so that the backend is not the bottleneck.
import { loadUws } from '../../src/http/fronts/uws-loader';
import type { UwsHttpResponse } from '../../src/http/fronts/uws-types';
import { BODY_SIZES, SMALL_BODY } from '../scenarios';

const bodies = new Map<string, Uint8Array>([
  ['/small', Buffer.from(SMALL_BODY)],
  ['/16k', Buffer.alloc(BODY_SIZES['16k'], 'x')],
  ['/1m', Buffer.alloc(BODY_SIZES['1m'], 'x')],
  ['/', Buffer.from('ok\n')],
]);
const OK = Buffer.from('ok\n');

function drainThenReply(res: UwsHttpResponse): void {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  res.onData((_chunk, isLast) => {
    if (isLast && !aborted) res.cork(() => res.end(OK));
  });
}

function main(): void {
  const port = Number(process.argv[2]);
  const { uws } = loadUws();
  const app = uws.App();
  app.any('/*', (res, req) => {
    if (req.getMethod().toLowerCase() === 'post') return drainThenReply(res);
    const body = bodies.get(req.getUrl());
    if (body === undefined) res.writeStatus('404 Not Found').end('not found\n');
    else res.end(body);
  });
  app.listen('127.0.0.1', port, (sock) => {
    if (sock === false) {
      process.stderr.write(`uws-server: cannot listen on 127.0.0.1:${port}\n`);
      process.exit(1);
    }
    process.stdout.write(`listening ${port}\n`);
  });
}

main();
