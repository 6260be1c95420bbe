// `balance leastconn`: the server with the lowest (conns + 1) / weight, i.e. the load it would
// have after taking this connection (HAProxy fwlc's key), so at equal counts the heavier server
// wins. Ties rotate: the scan starts after the last chosen server.
import { isEligible, selectGroup } from './group';
import type { Balancer, BalanceServer, PickContext } from './types';

export class LeastConn implements Balancer {
  private group: BalanceServer[] = [];
  private next = 0;

  constructor(private readonly servers: readonly BalanceServer[]) {
    this.update();
  }

  update(): void {
    this.group = selectGroup(this.servers);
    this.next = 0;
  }

  pick(ctx: PickContext): number {
    const group = this.group;
    const n = group.length;
    let best: BalanceServer | null = null;
    let bestPos = 0;
    let avoided = -1;
    for (let k = 0; k < n; k++) {
      const pos = (this.next + k) % n;
      const s = group[pos] as BalanceServer;
      if (!isEligible(s)) continue;
      if (s.index === ctx.avoid) {
        avoided = s.index;
        continue;
      }
      // cross-multiplied to compare ratios without floating point
      if (best === null || (s.conns + 1) * best.weight < (best.conns + 1) * s.weight) {
        best = s;
        bestPos = pos;
      }
    }
    if (best === null) return avoided;
    this.next = (bestPos + 1) % n;
    return best.index;
  }
}
