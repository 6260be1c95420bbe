// Shared test fixtures for the balance suites: servers, models and a seeded PRNG.
import type { BalanceModel, HashTypeModel } from '../../../src/config/model';
import type { BalanceServer, Random } from '../../../src/balance';

/** mulberry32: tiny seeded PRNG so statistical tests are reproducible */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestServer extends BalanceServer {
  backup: boolean;
}

export function servers(weights: readonly number[], extra: Partial<BalanceServer>[] = []): TestServer[] {
  return weights.map((weight, index) => ({
    index,
    id: index + 1,
    weight,
    usable: true,
    backup: false,
    conns: 0,
    maxconn: 0,
    ...extra[index],
  }));
}

export const BASE_MODEL: BalanceModel = {
  algorithm: 'roundrobin',
  param: null,
  uriWhole: false,
  uriLen: 0,
  uriDepth: 0,
  uriPathOnly: false,
  useDomainOnly: false,
  draws: 2,
};

export function model(over: Partial<BalanceModel>): BalanceModel {
  return { ...BASE_MODEL, ...over };
}

export const MAP_SDBM: HashTypeModel = { method: 'map-based', fn: 'sdbm', avalanche: false };
export const CONSISTENT: HashTypeModel = { method: 'consistent', fn: 'sdbm', avalanche: true };

/** share of picks per server index */
export function shares(picks: readonly number[], n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const p of picks) if (p >= 0) c[p] = (c[p] as number) + 1;
  return c.map((x) => x / picks.length);
}
