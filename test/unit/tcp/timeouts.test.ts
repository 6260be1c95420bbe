import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTcpTimeouts } from '../../../src/tcp/timeouts';
import { timeouts } from '../../helpers/model';

describe('resolveTcpTimeouts', () => {
  it('maps unset timeouts to 0 (infinite) and a 1 s turn-around', () => {
    const t = resolveTcpTimeouts(timeouts(), timeouts());
    assert.deepEqual(t, {
      clientWait: 0,
      client: 0,
      server: 0,
      clientFin: 0,
      serverFin: 0,
      connect: 0,
      turnAround: 1000,
    });
  });

  it('takes client timeouts from the frontend and server ones from the backend', () => {
    const t = resolveTcpTimeouts(
      timeouts({ client: 1, clientFin: 2, server: 99, serverFin: 99, connect: 99 }),
      timeouts({ client: 99, clientFin: 99, server: 3, serverFin: 4, connect: 5000 }),
    );
    assert.deepEqual(t, {
      clientWait: 1,
      client: 1,
      server: 3,
      clientFin: 2,
      serverFin: 4,
      connect: 5000,
      turnAround: 1000,
    });
  });

  it('timeout tunnel replaces client and server once connected, and the fin timeouts fall back to it', () => {
    const t = resolveTcpTimeouts(
      timeouts({ client: 10 }),
      timeouts({ server: 20, tunnel: 300, connect: 200 }),
    );
    assert.deepEqual(t, {
      clientWait: 10,
      client: 300,
      server: 300,
      clientFin: 300,
      serverFin: 300,
      connect: 200,
      turnAround: 200,
    });
  });
});
