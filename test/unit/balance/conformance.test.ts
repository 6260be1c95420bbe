// The contract every balancer honours (STYLE point 6): one suite, run against every algorithm and
// hashing method. Algorithm-specific behaviour lives in the sibling test files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BalanceModel, HashTypeModel } from '../../../src/config/model';
import { createBalancer, type Balancer } from '../../../src/balance';
import { CONSISTENT, MAP_SDBM, model, mulberry32, servers, shares, type TestServer } from './fixtures';

interface Case {
  readonly name: string;
  readonly model: BalanceModel;
  readonly hashType: HashTypeModel;
  /** key for the i-th pick (distinct keys spread hash algorithms over the servers) */
  readonly key: (rnd: () => number) => string | null;
  /** absolute tolerance on each server's share over 10,000 picks; null = weights not honoured by design */
  readonly weightTolerance: number | null;
}

const randomIp = (rnd: () => number): string => [0, 0, 0, 0].map(() => Math.floor(rnd() * 256)).join('.');
const randomPath = (rnd: () => number): string => `/static/${Math.floor(rnd() * 2 ** 32).toString(36)}.png`;
const randomToken = (rnd: () => number): string => Math.floor(rnd() * 2 ** 32).toString(16);
const noKey = (): null => null;

// Round robin is deterministic: exact. Hashing 10,000 random keys is binomial (σ ≈ 0.5 % at these
// shares): 1.5 % is 3σ. A consistent ring with 16 points per weight unit has uneven arcs (HAProxy's
// too): a few percent. Random draws are binomial like hashing.
const EXACT = 0.01;
const HASHED = 0.015;
const RING = 0.05;

const CASES: readonly Case[] = [
  {
    name: 'roundrobin',
    model: model({ algorithm: 'roundrobin' }),
    hashType: MAP_SDBM,
    key: noKey,
    weightTolerance: EXACT,
  },
  {
    name: 'static-rr',
    model: model({ algorithm: 'static-rr' }),
    hashType: MAP_SDBM,
    key: noKey,
    weightTolerance: EXACT,
  },
  {
    name: 'leastconn',
    model: model({ algorithm: 'leastconn' }),
    hashType: MAP_SDBM,
    key: noKey,
    weightTolerance: null,
  },
  {
    name: 'first',
    model: model({ algorithm: 'first' }),
    hashType: MAP_SDBM,
    key: noKey,
    weightTolerance: null,
  },
  {
    name: 'random',
    model: model({ algorithm: 'random', draws: 2 }),
    hashType: MAP_SDBM,
    key: noKey,
    weightTolerance: HASHED,
  },
  {
    name: 'source map-based',
    model: model({ algorithm: 'source' }),
    hashType: MAP_SDBM,
    key: randomIp,
    weightTolerance: HASHED,
  },
  {
    name: 'source consistent',
    model: model({ algorithm: 'source' }),
    hashType: CONSISTENT,
    key: randomIp,
    weightTolerance: RING,
  },
  {
    name: 'uri map-based',
    model: model({ algorithm: 'uri' }),
    hashType: MAP_SDBM,
    key: randomPath,
    weightTolerance: HASHED,
  },
  {
    name: 'uri consistent',
    model: model({ algorithm: 'uri' }),
    hashType: CONSISTENT,
    key: randomPath,
    weightTolerance: RING,
  },
  {
    name: 'url_param map-based djb2',
    model: model({ algorithm: 'url_param', param: 'user' }),
    hashType: { method: 'map-based', fn: 'djb2', avalanche: true },
    key: randomToken,
    weightTolerance: HASHED,
  },
  {
    name: 'hdr consistent wt6',
    model: model({ algorithm: 'hdr', param: 'host' }),
    hashType: { method: 'consistent', fn: 'wt6', avalanche: false },
    key: randomToken,
    weightTolerance: RING,
  },
  {
    name: 'hdr map-based crc32',
    model: model({ algorithm: 'hdr', param: 'host' }),
    hashType: { method: 'map-based', fn: 'crc32', avalanche: false },
    key: randomToken,
    weightTolerance: HASHED,
  },
  {
    name: 'hash without key',
    model: model({ algorithm: 'uri' }),
    hashType: CONSISTENT,
    key: noKey,
    weightTolerance: EXACT,
  },
];

const PICKS = 10_000;

function run(c: Case, set: TestServer[], count: number, avoid = -1, seed = 1): number[] {
  const rnd = mulberry32(seed);
  const b = createBalancer(c.model, c.hashType, set, mulberry32(seed + 1));
  return picks(b, c, rnd, count, avoid);
}

function picks(b: Balancer, c: Case, rnd: () => number, count: number, avoid = -1): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(b.pick({ key: c.key(rnd), avoid }));
  return out;
}

for (const c of CASES) {
  describe(`balancer conformance: ${c.name}`, () => {
    it('never picks an unusable server', () => {
      const set = servers([1, 1, 1], [{}, { usable: false }]);
      const got = run(c, set, 1000);
      assert.ok(!got.includes(1));
      assert.ok(!got.includes(-1));
    });

    it('stops picking a server once it becomes unusable and update() is called', () => {
      const set = servers([1, 1, 1]);
      const rnd = mulberry32(5);
      const b = createBalancer(c.model, c.hashType, set, mulberry32(6));
      // the busiest server, so that `first` (always server 0 here) is tested too
      const before = shares(picks(b, c, rnd, 300), 3);
      const victim = before.indexOf(Math.max(...before));
      (set[victim] as TestServer).usable = false;
      b.update();
      const after = picks(b, c, rnd, 1000);
      assert.ok(!after.includes(victim));
      assert.ok(!after.includes(-1));
    });

    it('never picks a weight-0 server', () => {
      const set = servers([1, 0, 1]);
      const got = run(c, set, 1000);
      assert.ok(!got.includes(1));
      assert.ok(!got.includes(-1));
    });

    it('uses backups only when no active server is usable, and then only the first', () => {
      const set = servers([1, 1, 1, 1], [{}, {}, { backup: true, id: 20 }, { backup: true, id: 10 }]);
      const rnd = mulberry32(9);
      const b = createBalancer(c.model, c.hashType, set, mulberry32(10));
      const first = new Set(picks(b, c, rnd, 500));
      assert.ok(first.size > 0 && [...first].every((i) => i === 0 || i === 1), 'actives only');
      (set[0] as TestServer).usable = false;
      b.update();
      assert.deepEqual(new Set(picks(b, c, rnd, 200)), new Set([1]), 'one active left: no backup');
      (set[1] as TestServer).weight = 0;
      b.update();
      assert.deepEqual(new Set(picks(b, c, rnd, 200)), new Set([3]), 'lowest-id backup only');
      (set[3] as TestServer).usable = false;
      b.update();
      assert.deepEqual(new Set(picks(b, c, rnd, 200)), new Set([2]), 'next backup');
      (set[0] as TestServer).usable = true;
      b.update();
      assert.deepEqual(new Set(picks(b, c, rnd, 200)), new Set([0]), 'back to the active server');
    });

    it('queues (-1) when the actives are full rather than spilling to a backup', () => {
      const set = servers([1, 1, 1], [{ maxconn: 1, conns: 1 }, { maxconn: 2, conns: 2 }, { backup: true }]);
      assert.deepEqual(new Set(run(c, set, 100)), new Set([-1]));
    });

    it('returns -1 when every server is full, and picks again once a slot frees', () => {
      const set = servers(
        [1, 1],
        [
          { maxconn: 1, conns: 1 },
          { maxconn: 3, conns: 3 },
        ],
      );
      const rnd = mulberry32(3);
      const b = createBalancer(c.model, c.hashType, set, mulberry32(4));
      assert.deepEqual(new Set(picks(b, c, rnd, 100)), new Set([-1]));
      (set[1] as TestServer).conns = 2;
      assert.deepEqual(new Set(picks(b, c, rnd, 100)), new Set([1]));
    });

    it('skips full servers while others have room', () => {
      const set = servers([1, 1, 1], [{ maxconn: 5, conns: 5 }]);
      const got = run(c, set, 1000);
      assert.ok(!got.includes(0));
      assert.ok(!got.includes(-1));
    });

    it('returns -1 when every server is unusable', () => {
      const set = servers([1, 1, 1], [{ usable: false }, { usable: false }, { usable: false, backup: true }]);
      assert.deepEqual(new Set(run(c, set, 50)), new Set([-1]));
      assert.deepEqual(new Set(run(c, servers([]), 10)), new Set([-1]));
    });

    it('avoids the given server when another one is eligible', () => {
      const set = servers([1, 3, 1]);
      for (let avoid = 0; avoid < 3; avoid++) {
        const got = run(c, set, 500, avoid);
        assert.ok(!got.includes(avoid), `avoid ${avoid}`);
        assert.ok(!got.includes(-1));
      }
    });

    it('still picks the avoided server when it is the only eligible one', () => {
      const set = servers([1, 1], [{ maxconn: 1, conns: 1 }]);
      assert.deepEqual(new Set(run(c, set, 100, 1)), new Set([1]));
      assert.deepEqual(new Set(run(c, set, 100, 0)), new Set([1]));
    });

    if (c.weightTolerance !== null) {
      const tol = c.weightTolerance;
      it(`honours weights within ${tol * 100}% over ${PICKS} picks`, () => {
        const weights = [1, 2, 3, 4];
        const got = shares(run(c, servers(weights), PICKS, -1, 42), weights.length);
        weights.forEach((w, i) => {
          const want = w / 10;
          const share = got[i] as number;
          assert.ok(Math.abs(share - want) <= tol, `server ${i}: share ${share}, want ${want} ± ${tol}`);
        });
      });
    }
  });
}
