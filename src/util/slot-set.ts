// An unordered set of objects with O(1) add and delete that never hashes: each member carries its
// own position (a number field the owner names through two accessors), and delete moves the last
// member into the hole.
//
// Why not Set: on a per-request path (add at start, delete at end) a long-lived Set keeps
// replacing its hash table, and V8 keeps each obsolete table linked to its successor for live
// iterators. The chain reaches back into the old generation, so every young member it ever held
// survives scavenges and is promoted: in the proxy that was ~3 MB promoted per scavenge, 7 ms
// scavenges and a mark-compact every 0.6 s (bench: 685 ms of scavenges in 6 s, p99 15 ms). With
// this structure: 131 ms, one mark-compact, +25% requests per second.
export class SlotSet<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly slotOf: (item: T) => number,
    private readonly setSlot: (item: T, slot: number) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(item: T): boolean {
    const i = this.slotOf(item);
    return i >= 0 && i < this.items.length && this.items[i] === item;
  }

  add(item: T): void {
    if (this.has(item)) return;
    this.setSlot(item, this.items.length);
    this.items.push(item);
  }

  /** false when the item was not a member */
  delete(item: T): boolean {
    if (!this.has(item)) return false;
    const i = this.slotOf(item);
    const last = this.items.pop() as T;
    if (last !== item) {
      this.items[i] = last;
      this.setSlot(last, i);
    }
    this.setSlot(item, -1);
    return true;
  }

  /** a copy: members may leave the set while the caller walks it */
  snapshot(): T[] {
    return this.items.slice();
  }
}
