import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SinkRegistry } from '../../../src/log/sinks';
import { logger } from '../../../src/log';
import type { LogTarget } from '../../../src/config/model';

function udpTarget(port: number): LogTarget {
  return {
    kind: 'udp',
    host: '127.0.0.1',
    port,
    format: 'raw',
    facility: 'local0',
    level: null,
    minLevel: null,
    len: null,
  } as unknown as LogTarget;
}

test('udp sink: lines keep going out after the collector was away (ECONNREFUSED on a connected socket)', async () => {
  // a port nobody listens on: the first datagrams earn ICMP "port unreachable"
  const probe = dgram.createSocket('udp4');
  probe.bind(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as AddressInfo).port;
  probe.close();
  const sinks = new SinkRegistry(logger('test'));
  const sink = sinks.open(udpTarget(port));
  for (let i = 0; i < 5; i++) {
    sink.write(`lost ${i}`);
    await new Promise((r) => setImmediate(r));
  }
  // the collector comes up on that port: later lines must reach it
  const rx = dgram.createSocket('udp4');
  rx.bind(port, '127.0.0.1');
  await once(rx, 'listening');
  const got: string[] = [];
  rx.on('message', (m) => got.push(m.toString()));
  for (let i = 0; i < 200 && got.length === 0; i++) {
    sink.write(`line ${i}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  sinks.close();
  rx.close();
  assert.ok(got.length > 0, 'no line reached the collector once it was up');
  assert.match(got[0] as string, /^line \d+$/);
});
