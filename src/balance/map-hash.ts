// `hash-type map-based`: HAProxy's server map (src/lb_map.c). Each server appears in a table as
// many times as its weight divided by the GCD of all configured weights, interleaved; a hash picks
// slot hash % size. Same table, same modulo as HAProxy, so a key reaches the same server. Weights
// are the ones at creation (map-based hashing is static in HAProxy); a server that goes down or
// comes back rebuilds the table, which remaps most keys: that is what `consistent` is for.
import { isEligible, selectGroup } from './group';
import type { BalanceServer } from './types';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class ServerMap {
  private table: BalanceServer[] = [];
  private readonly weightOf: (s: BalanceServer) => number;

  constructor(
    private readonly servers: readonly BalanceServer[],
    initialWeight: (s: BalanceServer) => number,
  ) {
    let g = 0;
    for (const s of servers) if (s.weight > 0) g = gcd(g, s.weight);
    const div = g > 0 ? g : 1;
    this.weightOf = (s) => Math.ceil(initialWeight(s) / div);
    this.update();
  }

  update(): void {
    const group = selectGroup(this.servers);
    const weights = group.map(this.weightOf);
    let tot = 0;
    for (const w of weights) tot += w;
    // HAProxy recalc_server_map: at each slot every server earns its weight, the one with the most
    // credit (first declared on ties) takes the slot and pays the total.
    const score = new Array<number>(group.length).fill(0);
    const table: BalanceServer[] = new Array<BalanceServer>(tot);
    for (let o = 0; o < tot; o++) {
      let best = 0;
      let max = -1;
      for (let i = 0; i < group.length; i++) {
        score[i] = (score[i] as number) + (weights[i] as number);
        const v = Math.trunc(((score[i] as number) + tot) / tot);
        if (v > max) {
          max = v;
          best = i;
        }
      }
      table[o] = group[best] as BalanceServer;
      score[best] = (score[best] as number) - tot;
    }
    this.table = table;
  }

  /** the server for `hash`, or the next eligible slot when it is full or to be avoided */
  lookup(hash: number, avoid: number): number {
    const table = this.table;
    const n = table.length;
    let avoided = -1;
    const start = hash % n;
    for (let k = 0; k < n; k++) {
      const s = table[(start + k) % n] as BalanceServer;
      if (!isEligible(s)) continue;
      if (s.index !== avoid) return s.index;
      avoided = s.index;
    }
    return avoided;
  }
}
