// The balance subsystem's only door: one factory over every algorithm, and the request → key
// extraction the hashing algorithms need.
import type { BalanceModel, HashTypeModel } from '../config/model';
import { First } from './first';
import { HashBalancer } from './hashed';
import { LeastConn } from './leastconn';
import { RandomDraws } from './random';
import { createRoundRobin } from './roundrobin';
import { createStaticRoundRobin } from './static-rr';
import type { Balancer, BalanceServer, Random } from './types';

export { balanceKey } from './key';
export * from './types';

export function createBalancer(
  model: BalanceModel,
  hashType: HashTypeModel,
  servers: readonly BalanceServer[],
  random: Random,
): Balancer {
  switch (model.algorithm) {
    case 'roundrobin':
      return createRoundRobin(servers);
    case 'static-rr':
      return createStaticRoundRobin(servers);
    case 'leastconn':
      return new LeastConn(servers);
    case 'first':
      return new First(servers);
    case 'source':
    case 'uri':
    case 'url_param':
    case 'hdr':
      return new HashBalancer(model.algorithm, hashType, servers);
    case 'random':
      return new RandomDraws(servers, random, model.draws);
  }
}
