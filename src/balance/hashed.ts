// `balance source | uri | url_param | hdr`: the key (see key.ts) is hashed and looked up in a map
// or a consistent ring. Without a key (no parameter, no header) HAProxy falls back to round robin
// over the same servers, and so does this.
//
// A full or avoided target moves to the next eligible server (HAProxy's `hash-preserve-affinity
// maxconn`) rather than waiting for it: the caller has one FIFO queue per backend, and a request
// held for one busy server would block the requests behind it bound for idle ones.
import type { BalanceAlgorithm, HashTypeModel } from '../config/model';
import { ConsistentRing } from './chash';
import { hashSource, hashString } from './hash';
import { ServerMap } from './map-hash';
import { SmoothWrr } from './smooth-wrr';
import { staticWeights } from './static-rr';
import type { Balancer, BalanceServer, PickContext } from './types';

interface HashLookup {
  lookup(hash: number, avoid: number): number;
  update(): void;
}

export class HashBalancer implements Balancer {
  private readonly lookup: HashLookup;
  private readonly fallback: SmoothWrr;
  private readonly source: boolean;

  constructor(
    algorithm: BalanceAlgorithm,
    private readonly hashType: HashTypeModel,
    servers: readonly BalanceServer[],
  ) {
    this.source = algorithm === 'source';
    if (hashType.method === 'consistent') {
      this.lookup = new ConsistentRing(servers);
      this.fallback = new SmoothWrr(servers, (s) => s.weight);
    } else {
      const frozen = staticWeights(servers);
      this.lookup = new ServerMap(servers, frozen);
      this.fallback = new SmoothWrr(servers, frozen);
    }
  }

  update(): void {
    this.lookup.update();
    this.fallback.update();
  }

  pick(ctx: PickContext): number {
    if (ctx.key === null) return this.fallback.pick(ctx);
    const h = this.source ? hashSource(this.hashType, ctx.key) : hashString(this.hashType, ctx.key);
    return this.lookup.lookup(h, ctx.avoid);
  }
}
