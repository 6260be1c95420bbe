// node http-proxy (the npm package) as a peer: the Node proxy sluice is measured against for the
// "several times faster than the Node proxies" claim. Keep-alive to the backend (an Agent with
// keepAlive), one process, defaults otherwise — how its README sets it up.
// Usage: node dist/bench/peers/node-http-proxy.js <listen port> <backend port>
import http from 'node:http';

interface HttpProxy {
  web(req: http.IncomingMessage, res: http.ServerResponse): void;
  on(event: 'error', cb: (err: Error, req: http.IncomingMessage, res: http.ServerResponse) => void): void;
}
interface HttpProxyModule {
  createProxyServer(opts: { target: string; agent: http.Agent }): HttpProxy;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpProxy = require('http-proxy') as HttpProxyModule;
const [listen, backend] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const proxy = httpProxy.createProxyServer({ target: `http://127.0.0.1:${backend}`, agent });
proxy.on('error', (_err, _req, res) => {
  if (!res.headersSent) res.writeHead(502);
  res.end();
});
http.createServer((req, res) => proxy.web(req, res)).listen(listen, '127.0.0.1');
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
