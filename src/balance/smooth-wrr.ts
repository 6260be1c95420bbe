// Smooth weighted round robin (nginx's algorithm): servers are interleaved in proportion to their
// weights (3:1 gives A,A,B,A, not A,A,A,B), which HAProxy's fwrr also does, with trees. At the
// server counts a backend has, an O(n) scan per pick costs less than keeping trees balanced.
import { isEligible, selectGroup } from './group';
import type { Balancer, BalanceServer, PickContext } from './types';

export type WeightOf = (s: BalanceServer) => number;

export class SmoothWrr implements Balancer {
  private group: BalanceServer[] = [];
  private current: number[] = [];

  constructor(
    private readonly servers: readonly BalanceServer[],
    private readonly weightOf: WeightOf,
  ) {
    this.update();
  }

  update(): void {
    this.group = selectGroup(this.servers);
    // stale credit from the old set would skew the first rounds after a change
    this.current = new Array<number>(this.group.length).fill(0);
  }

  pick(ctx: PickContext): number {
    const group = this.group;
    const current = this.current;
    let total = 0;
    let best = -1;
    let avoided = -1;
    for (let i = 0; i < group.length; i++) {
      const s = group[i] as BalanceServer;
      if (!isEligible(s)) continue;
      if (s.index === ctx.avoid) {
        avoided = s.index;
        continue;
      }
      const w = this.weightOf(s);
      current[i] = (current[i] as number) + w;
      total += w;
      if (best < 0 || (current[i] as number) > (current[best] as number)) best = i;
    }
    if (best < 0) return avoided;
    current[best] = (current[best] as number) - total;
    return (group[best] as BalanceServer).index;
  }
}
