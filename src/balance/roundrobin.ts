// `balance roundrobin`: weighted round robin that follows weight changes (runtime `set weight`,
// slowstart) on the very next pick.
import { SmoothWrr } from './smooth-wrr';
import type { Balancer, BalanceServer } from './types';

export function createRoundRobin(servers: readonly BalanceServer[]): Balancer {
  return new SmoothWrr(servers, (s) => s.weight);
}
