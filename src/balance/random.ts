// `balance random(<draws>)`: draw `draws` servers at random in proportion to their weights and
// keep the least loaded (conns / weight), the "power of two choices" for draws = 2.
//
// HAProxy draws a random point on its consistent-hash ring; with 16 points per weight unit the
// ring's arcs are uneven enough to skew shares by several percent. Drawing on the cumulative
// weights gives the exact weighted choice the ring approximates, and still follows weight changes.
import { isEligible, selectGroup } from './group';
import type { Balancer, BalanceServer, PickContext, Random } from './types';

export const DEFAULT_DRAWS = 2;

export class RandomDraws implements Balancer {
  private group: BalanceServer[] = [];
  private readonly draws: number;

  constructor(
    private readonly servers: readonly BalanceServer[],
    private readonly random: Random,
    draws: number,
  ) {
    this.draws = draws >= 1 ? Math.floor(draws) : DEFAULT_DRAWS;
    this.update();
  }

  update(): void {
    this.group = selectGroup(this.servers);
  }

  pick(ctx: PickContext): number {
    let total = 0;
    let avoided = -1;
    for (const s of this.group) {
      if (!isEligible(s)) continue;
      if (s.index === ctx.avoid) avoided = s.index;
      else total += s.weight;
    }
    if (total === 0) return avoided;
    let best: BalanceServer | null = null;
    for (let d = 0; d < this.draws; d++) {
      const s = this.draw(total, ctx.avoid);
      // like HAProxy, a later draw wins ties, so equal loads still spread by weight
      if (best === null || s.conns * best.weight <= best.conns * s.weight) best = s;
    }
    return (best as BalanceServer).index;
  }

  private draw(total: number, avoid: number): BalanceServer {
    let r = this.random() * total;
    let last: BalanceServer | null = null;
    for (const s of this.group) {
      if (!isEligible(s) || s.index === avoid) continue;
      last = s;
      r -= s.weight;
      if (r < 0) return s;
    }
    // r can only survive the loop through rounding at the top end of the range
    return last as BalanceServer;
  }
}
