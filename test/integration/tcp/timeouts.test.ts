import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Timeouts } from '../../../src/config/model';
import { backendModel, frontendModel, timeouts } from '../../helpers/model';
import { Fixtures, accepted, closed, elapsedSince, readBytes } from './harness';

const fx = new Fixtures();
after(() => fx.closeAll());

// node timers may fire a millisecond or so early; a generous upper bound keeps CI stable
const EARLY_MS = 20;
const LATE_MS = 2000;

async function idleSession(fe: Partial<Timeouts>, be: Partial<Timeouts>) {
  const up = await fx.silent();
  const p = await fx.proxy(
    frontendModel({ name: 'fe', mode: 'tcp', defaultBackend: 'be', timeouts: timeouts(fe) }),
    [
      backendModel({
        name: 'be',
        mode: 'tcp',
        servers: [up.port],
        timeouts: timeouts({ connect: 1000, ...be }),
      }),
    ],
  );
  const c = await p.connect();
  const upstreamSide = await accepted(up, 1);
  return { c, upstreamSide, p };
}

describe('tcp proxy: timeouts', () => {
  it('timeout client closes an idle session on both sides', async () => {
    const { c, upstreamSide } = await idleSession({ client: 150 }, {});
    const t0 = process.hrtime.bigint();
    await Promise.all([closed(c), closed(upstreamSide)]);
    const ms = elapsedSince(t0);
    assert.ok(ms >= 150 - EARLY_MS && ms < 150 + LATE_MS, `closed after ${ms} ms`);
  });

  it('timeout server closes an idle session', async () => {
    const { c, upstreamSide } = await idleSession({}, { server: 150 });
    const t0 = process.hrtime.bigint();
    await Promise.all([closed(c), closed(upstreamSide)]);
    const ms = elapsedSince(t0);
    assert.ok(ms >= 150 - EARLY_MS && ms < 150 + LATE_MS, `closed after ${ms} ms`);
  });

  it('activity keeps a session alive past timeout client', async () => {
    const up = await fx.echo();
    const p = await fx.proxy(
      frontendModel({ name: 'fe', mode: 'tcp', defaultBackend: 'be', timeouts: timeouts({ client: 300 }) }),
      [backendModel({ name: 'be', mode: 'tcp', servers: [up.port], timeouts: timeouts({ server: 300 }) })],
    );
    const c = await p.connect();
    const t0 = process.hrtime.bigint();
    // bounded: eight round trips, each followed by 100 ms of client think time
    for (let i = 0; i < 8; i++) {
      c.write('x');
      await readBytes(c, 1);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(elapsedSince(t0) > 600, 'the loop outlived timeout client');
    assert.equal(c.destroyed, false);
    c.write('y');
    assert.equal((await readBytes(c, 1)).toString(), 'y');
  });

  it('timeout tunnel replaces client and server timeouts once connected', async () => {
    const { c } = await idleSession({ client: 100 }, { server: 100, tunnel: 600 });
    const t0 = process.hrtime.bigint();
    await closed(c);
    const ms = elapsedSince(t0);
    assert.ok(ms >= 600 - EARLY_MS - 100 && ms < 600 + LATE_MS, `closed after ${ms} ms`);
  });

  it('timeout client-fin closes a session the client half-closed', async () => {
    const { c, upstreamSide } = await idleSession({ client: 10_000, clientFin: 150 }, { server: 10_000 });
    const upEnd = new Promise<void>((r) => upstreamSide.once('end', () => r()));
    const t0 = process.hrtime.bigint();
    c.end();
    await upEnd;
    await closed(c);
    const ms = elapsedSince(t0);
    assert.ok(ms >= 150 - EARLY_MS && ms < 150 + LATE_MS, `closed after ${ms} ms`);
  });

  it('timeout server-fin closes a session the server half-closed', async () => {
    const { c, upstreamSide } = await idleSession({ client: 10_000 }, { server: 10_000, serverFin: 150 });
    const clientEnd = new Promise<void>((r) => c.once('end', () => r()));
    const t0 = process.hrtime.bigint();
    upstreamSide.end();
    await clientEnd;
    await closed(upstreamSide);
    const ms = elapsedSince(t0);
    assert.ok(ms >= 150 - EARLY_MS && ms < 150 + LATE_MS, `closed after ${ms} ms`);
  });
});
