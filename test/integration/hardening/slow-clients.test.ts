// Slow and abusive clients (slowhttptest -H, -B, -X and an idle-connection flood) against the real
// CLI on both fronts, with a normal client alongside: the normal client's requests all succeed,
// the attack really held its connections (so the test cannot pass by not attacking), and the
// worker's RSS stays under a generous bound. No latency assertion here: the p99-vs-unloaded
// figures come from bench/slow-clients.ts and are recorded in docs/hardening.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRound } from '../../../bench/slow-clients';
import type { Attack } from '../../../bench/slow-clients';
import { hasTool } from '../../helpers/stats-socket';
import { uwsAvailable } from '../../../src/http/fronts/uws-loader';

const SECONDS = 2;
const CONNECTIONS = 200;
const MAXCONN = 300;
const RSS_BOUND_MIB = 400;
const ATTACKS: readonly Attack[] = ['slow-headers', 'slow-body', 'slow-read', 'idle-flood'];
const noSlowhttptest = hasTool('slowhttptest')
  ? false
  : 'slowhttptest is not installed (apt-get install slowhttptest)';

for (const front of ['uws', 'node'] as const) {
  describe(
    `slow and abusive clients, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      for (const attack of ATTACKS) {
        const skip = attack === 'idle-flood' ? false : noSlowhttptest;
        it(`${attack}: normal requests still succeed, RSS bounded`, { skip, timeout: 40_000 }, async () => {
          const r = await runRound(attack, {
            front,
            seconds: SECONDS,
            connections: CONNECTIONS,
            maxconn: MAXCONN,
          });
          const why = JSON.stringify(r);
          assert.ok(
            r.attack.peakConnected >= CONNECTIONS / 2,
            `the attack did not hold its connections: ${why}`,
          );
          assert.equal(r.failures, 0, why);
          assert.ok(r.requests >= 20, `the normal client barely progressed: ${why}`);
          assert.ok(r.peakRssMiB > 0 && r.peakRssMiB < RSS_BOUND_MIB, why);
        });
      }
    },
  );
}
