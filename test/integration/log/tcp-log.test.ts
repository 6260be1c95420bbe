import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startLoggingProxy, startSyslogReceiver, type LoggingProxy, type SyslogReceiver } from './harness';

/** a port nothing listens on: connecting to it is refused */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** connects, sends `data` (if any), half-closes, and resolves with what came back once closed */
function session(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.on('connect', () => (data === '' ? s.end() : s.end(data)));
  });
}

const DATE = String.raw`\[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d\.\d{3}\]`;

describe('TCP access logs', () => {
  let echo: net.Server;
  let syslog: SyslogReceiver;
  let proxy: LoggingProxy;

  before(async () => {
    echo = net.createServer((s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const echoPort = (echo.address() as net.AddressInfo).port;
    syslog = await startSyslogReceiver();
    proxy = await startLoggingProxy(`
defaults
    mode tcp
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    log udp@127.0.0.1:${syslog.port} format raw local0
frontend tfe
    bind 127.0.0.1:0
    option tcplog
    option dontlognull
    default_backend tbe
frontend tdead
    bind 127.0.0.1:0
    option tcplog
    default_backend tbd
backend tbe
    server s1 127.0.0.1:${echoPort}
backend tbd
    retries 0
    server s1 127.0.0.1:${await closedPort()}
`);
  });

  after(async () => {
    await proxy.close();
    await syslog.close();
    await new Promise<void>((r) => echo.close(() => r()));
  });

  test('option tcplog line for a clean session; dontlognull drops a connection that sent nothing', async () => {
    assert.equal(await session(proxy.port('tfe'), ''), '');
    await proxy.logged('tfe', 1);
    assert.equal(await session(proxy.port('tfe'), 'hello'), 'hello');
    await proxy.logged('tfe', 2);
    const lines = await syslog.waitFor(1);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(
      lines[0] as string,
      new RegExp(String.raw`^127\.0\.0\.1:\d+ ${DATE} tfe tbe\/s1 \d+\/\d+\/\d+ 5 -- 1\/1\/1\/1\/0 0\/0$`),
    );
  });

  test('a refused server connection: termination state SC, Tc -1', async () => {
    const n = syslog.lines.length;
    await session(proxy.port('tdead'), '');
    const lines = await syslog.waitFor(n + 1);
    assert.match(
      lines[n] as string,
      new RegExp(String.raw`^127\.0\.0\.1:\d+ ${DATE} tdead tbd\/s1 \d+\/-1\/\d+ 0 SC 1\/1\/1\/1\/0 0\/0$`),
    );
  });
});
