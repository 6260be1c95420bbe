import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BalanceAlgorithm, HashTypeModel } from '../../../src/config/model';
import { balanceKey, createBalancer } from '../../../src/balance';
import { ConsistentRing } from '../../../src/balance/chash';
import { fullHash } from '../../../src/balance/hash';
import { CONSISTENT, MAP_SDBM, model, mulberry32, servers } from './fixtures';

const pick = (b: { pick: (c: { key: string | null; avoid: number }) => number }, key: string): number =>
  b.pick({ key, avoid: -1 });

describe('hash balancing', () => {
  it('sends the URIs of HAProxy reg-test balance-uri.vtc to the same servers as HAProxy', () => {
    const b = createBalancer(model({ algorithm: 'uri' }), MAP_SDBM, servers([1, 1, 1, 1]), Math.random);
    const m = model({ algorithm: 'uri' });
    const srv = (url: string): number => pick(b, balanceKey(m, { src: '', url, headers: [] }) as string) + 1;
    assert.equal(srv('/url1'), 2);
    assert.equal(srv('/url1?ignore=this-arg'), 2);
    assert.equal(srv('/url2'), 3);
    assert.equal(srv('/url3'), 4);
    assert.equal(srv('/url4'), 1);
  });

  it('and with path-only, absolute-form URIs too (balance-uri-path-only.vtc)', () => {
    const m = model({ algorithm: 'uri', uriPathOnly: true });
    const b = createBalancer(m, MAP_SDBM, servers([1, 1, 1, 1]), Math.random);
    const srv = (url: string): number => pick(b, balanceKey(m, { src: '', url, headers: [] }) as string) + 1;
    assert.equal(srv('http://127.0.0.1:8080/url1'), 2);
    assert.equal(srv('http://127.0.0.1:8080/url2'), 3);
    assert.equal(srv('/url3'), 4);
  });

  const combos: [BalanceAlgorithm, HashTypeModel][] = [
    ['source', MAP_SDBM],
    ['source', CONSISTENT],
    ['uri', MAP_SDBM],
    ['uri', CONSISTENT],
    ['hdr', { method: 'map-based', fn: 'djb2', avalanche: false }],
    ['hdr', { method: 'consistent', fn: 'crc32', avalanche: true }],
    ['url_param', { method: 'consistent', fn: 'wt6', avalanche: false }],
  ];
  for (const [algorithm, ht] of combos) {
    it(`${algorithm} ${ht.method} ${ht.fn}: same key, same server, while the set is stable`, () => {
      const set = servers([1, 2, 3, 1, 1]);
      const b = createBalancer(model({ algorithm, param: 'x' }), ht, set, Math.random);
      const rnd = mulberry32(21);
      const seen = new Set<number>();
      for (let k = 0; k < 50; k++) {
        const key = algorithm === 'source' ? `192.168.${k}.${Math.floor(rnd() * 256)}` : `key-${k}`;
        const first = pick(b, key);
        seen.add(first);
        for (let r = 0; r < 20; r++) assert.equal(pick(b, key), first, key);
        b.update(); // nothing changed: an update alone must not move keys
        assert.equal(pick(b, key), first, key);
      }
      assert.ok(seen.size > 1, 'keys spread over several servers');
    });
  }

  it('falls back to round robin without a key', () => {
    const b = createBalancer(
      model({ algorithm: 'hdr', param: 'host' }),
      MAP_SDBM,
      servers([1, 1, 1]),
      Math.random,
    );
    const got = Array.from({ length: 6 }, () => b.pick({ key: null, avoid: -1 }));
    assert.deepEqual(got, [0, 1, 2, 0, 1, 2]);
  });

  it('consistent: when one of N servers leaves, only its keys move (≤ 1/N + 3%)', () => {
    for (const n of [4, 5, 8]) {
      const set = servers(new Array<number>(n).fill(1));
      const b = createBalancer(model({ algorithm: 'uri' }), CONSISTENT, set, Math.random);
      const rnd = mulberry32(n);
      const keys = Array.from({ length: 10_000 }, () => `/obj/${Math.floor(rnd() * 2 ** 32)}`);
      const before = keys.map((k) => pick(b, k));
      const gone = 1;
      set[gone]!.usable = false;
      b.update();
      const after = keys.map((k) => pick(b, k));
      let moved = 0;
      keys.forEach((_, i) => {
        if (before[i] === after[i]) return;
        moved++;
        assert.equal(before[i], gone, 'a key moved between two surviving servers');
      });
      assert.ok(moved / keys.length <= 1 / n + 0.03, `n=${n}: moved ${moved / keys.length}`);
      set[gone]!.usable = true;
      b.update();
      assert.deepEqual(
        keys.map((k) => pick(b, k)),
        before,
        'keys come back when the server does',
      );
    }
  });

  it('consistent: a weight change only moves keys to or from that server', () => {
    const set = servers([1, 1, 1, 1]);
    const b = createBalancer(model({ algorithm: 'uri' }), CONSISTENT, set, Math.random);
    const keys = Array.from({ length: 2000 }, (_, i) => `/w/${i}`);
    const before = keys.map((k) => pick(b, k));
    set[2]!.weight = 3;
    b.update();
    const after = keys.map((k) => pick(b, k));
    let gained = 0;
    keys.forEach((_, i) => {
      if (before[i] === after[i]) return;
      assert.equal(after[i], 2);
      gained++;
    });
    assert.ok(gained > 0);
  });

  it('map-based: a full target moves to another server and comes back when it has room', () => {
    const set = servers([1, 1, 1]);
    const b = createBalancer(model({ algorithm: 'uri' }), MAP_SDBM, set, Math.random);
    const home = pick(b, '/a');
    set[home]!.maxconn = 1;
    set[home]!.conns = 1;
    const elsewhere = pick(b, '/a');
    assert.notEqual(elsewhere, home);
    assert.notEqual(elsewhere, -1);
    set[home]!.conns = 0;
    assert.equal(pick(b, '/a'), home);
  });
});

describe('consistent ring', () => {
  it('places w*16 points per server at full_hash(id*4096 + j) and takes the nearest side', () => {
    const set = servers([1, 1, 1, 1]);
    const ring = new ConsistentRing(set);
    for (const s of set) {
      for (let j = 0; j < 16; j++) {
        const point = fullHash(s.id * 4096 + j);
        // one step either side of a point: that point is the nearest one
        if (point > 0) assert.equal(ring.lookup(point - 1, -1), s.index, `id ${s.id} point ${j} from below`);
        if (point < 2 ** 32 - 1)
          assert.equal(ring.lookup(point + 1, -1), s.index, `id ${s.id} point ${j} from above`);
      }
    }
  });
});
