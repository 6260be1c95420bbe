// `balance static-rr`: weighted round robin on the weights the servers had at creation. As in
// HAProxy, changing a weight at runtime has no effect on the spread; weight 0 still takes a server
// out, because that is how a server is drained.
import { SmoothWrr } from './smooth-wrr';
import type { Balancer, BalanceServer } from './types';

/** weights frozen at creation; a server created at weight 0 and raised later uses its live weight */
export function staticWeights(servers: readonly BalanceServer[]): (s: BalanceServer) => number {
  const initial = new Map<number, number>();
  for (const s of servers) initial.set(s.index, s.weight);
  return (s) => {
    const w = initial.get(s.index) ?? 0;
    return w > 0 ? w : s.weight;
  };
}

export function createStaticRoundRobin(servers: readonly BalanceServer[]): Balancer {
  return new SmoothWrr(servers, staticWeights(servers));
}
