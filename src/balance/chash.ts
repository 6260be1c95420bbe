// `hash-type consistent`: HAProxy's ring (src/lb_chash.c). A server of weight w owns w*16 points
// at full_hash(id * 4096 + j); a hash goes to the nearest point either side. Removing a server
// only moves the keys that were on its points, and the point keys match HAProxy's, so a key lands
// on the same server as behind HAProxy with the same server ids.
import { fullHash } from './hash';
import { isEligible, selectGroup } from './group';
import type { BalanceServer } from './types';

const WEIGHT_SCALE = 16; // BE_WEIGHT_SCALE
const EWEIGHT_RANGE = 256 * WEIGHT_SCALE; // SRV_EWGHT_RANGE

export class ConsistentRing {
  private keys = new Uint32Array(0);
  private owners: BalanceServer[] = [];

  constructor(private readonly servers: readonly BalanceServer[]) {
    this.update();
  }

  update(): void {
    const points: { key: number; s: BalanceServer }[] = [];
    for (const s of selectGroup(this.servers)) {
      const n = Math.round(s.weight * WEIGHT_SCALE);
      for (let j = 0; j < n; j++) points.push({ key: fullHash(s.id * EWEIGHT_RANGE + j), s });
    }
    points.sort((a, b) => a.key - b.key);
    this.keys = Uint32Array.from(points, (p) => p.key);
    this.owners = points.map((p) => p.s);
  }

  /** the server nearest to `hash`, walking on along the ring past full or avoided servers */
  lookup(hash: number, avoid: number): number {
    const keys = this.keys;
    const n = keys.length;
    if (n === 0) return -1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) < hash) lo = mid + 1;
      else hi = mid;
    }
    const next = lo === n ? 0 : lo;
    const prev = next === 0 ? n - 1 : next - 1;
    // distances on a 32-bit circle
    const dp = (hash - (keys[prev] as number)) >>> 0;
    const dn = ((keys[next] as number) - hash) >>> 0;
    const start = dp <= dn ? prev : next;
    let avoided = -1;
    for (let k = 0; k < n; k++) {
      const s = this.owners[(start + k) % n] as BalanceServer;
      if (!isEligible(s)) continue;
      if (s.index !== avoid) return s.index;
      avoided = s.index;
    }
    return avoided;
  }
}
