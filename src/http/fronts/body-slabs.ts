// Pooled buffers for body chunks a front must copy: uWS neuters each request body chunk's memory
// when its callback returns, and upstream reads share one buffer (src/http/upstream/connection.ts)
// while node's http keeps what it could not send yet. A chunk usually leaves through its socket
// at once and its slab serves the next one; a slab a socket still holds comes back once it has
// been sent. A fresh Buffer per chunk instead left garbage that V8 frees late, on external-memory
// pressure: a 200 MiB upload through uWS 20.30 raised a worker's peak RSS by 30-37 MiB, a
// download through the node front by 36 MiB (Node 20) and 76 MiB (Node 24).

/** smallest slab: smaller chunks share its size class */
const MIN_BYTES = 16 * 1024;
/** uSockets reads at most 512 KiB at a time: the largest class */
const MAX_BYTES = 512 * 1024;
/** free slabs kept, all classes together; beyond that they are freed */
const MAX_FREE_BYTES = 16 * 1024 * 1024;

/** free lists per power-of-two size class, MIN_BYTES .. MAX_BYTES */
const free: Buffer[][] = [];
for (let size = MIN_BYTES; size <= MAX_BYTES; size *= 2) free.push([]);
let freeBytes = 0;

function classOf(size: number): number {
  return size <= MIN_BYTES ? 0 : Math.ceil(Math.log2(size / MIN_BYTES));
}

/** a buffer of at least `n` bytes; its `subarray(0, n)` is the chunk */
export function takeSlab(n: number): Buffer {
  if (n > MAX_BYTES) return Buffer.allocUnsafeSlow(n);
  const c = classOf(n);
  const slab = (free[c] as Buffer[]).pop();
  if (slab === undefined) return Buffer.allocUnsafeSlow(MIN_BYTES << c);
  freeBytes -= slab.length;
  return slab;
}

/** `slab` (from takeSlab) is referenced no more: reuse it, or free it */
export function releaseSlab(slab: Buffer): void {
  const size = slab.length;
  if (size <= MAX_BYTES && freeBytes + size <= MAX_FREE_BYTES) {
    (free[classOf(size)] as Buffer[]).push(slab);
    freeBytes += size;
  } else {
    freeMemory(slab.buffer);
  }
}

/** bytes held in free slabs (for tests) */
export function freeSlabBytes(): number {
  return freeBytes;
}

/** ArrayBuffer.prototype.transfer (Node 22+) detaches a buffer and frees its memory at once */
const freeMemory: (ab: ArrayBufferLike) => void =
  typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function'
    ? (ab) => (ab as ArrayBuffer & { transfer(n: number): ArrayBuffer }).transfer(0)
    : () => undefined;
