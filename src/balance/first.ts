// `balance first`: fill the server with the lowest id up to its maxconn, then the next one, so
// idle servers can be powered down. Weight only matters as 0 = out.
import { isEligible, selectGroup } from './group';
import type { Balancer, BalanceServer, PickContext } from './types';

export class First implements Balancer {
  private byId: BalanceServer[] = [];

  constructor(private readonly servers: readonly BalanceServer[]) {
    this.update();
  }

  update(): void {
    this.byId = selectGroup(this.servers).sort((a, b) => a.id - b.id);
  }

  pick(ctx: PickContext): number {
    let avoided = -1;
    for (const s of this.byId) {
      if (!isEligible(s)) continue;
      if (s.index !== ctx.avoid) return s.index;
      avoided = s.index;
    }
    return avoided;
  }
}
