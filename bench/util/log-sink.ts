// A UDP syslog sink for the full-path scenario: the proxies send real access-log datagrams, and
// the count proves that logging was on while it was measured.
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface LogSink {
  readonly port: number;
  readonly received: () => number;
  close(): Promise<void>;
}

export function startLogSink(): Promise<LogSink> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    let count = 0;
    sock.on('message', () => count++);
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => {
      const { port } = sock.address() as AddressInfo;
      resolve({
        port,
        received: () => count,
        close: () => new Promise((r) => sock.close(() => r())),
      });
    });
  });
}
