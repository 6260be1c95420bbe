// A connection limit with a stand-in backlog. HAProxy stops accepting at a maxconn and the
// excess waits in the kernel backlog. Node cannot pause accept() on a shared listening socket, so
// connections over the limit are accepted but left unread in a FIFO that plays the backlog's part,
// bounded like one; beyond it they are closed. One gate per worker holds global `maxconn` (the
// client connections of all its frontends: HAProxy's per-process limit, a sluice worker being the
// process); each mode tcp frontend has its own for its `maxconn`. uWS cannot leave a connection
// unread before its first request, so its fronts close what is over the limit (enterNow).
import type { Socket } from 'node:net';

/** Node's default listen backlog, the bound of a FIFO that stands in for one */
export const PARKED_MAX = 511;

interface Parked {
  readonly sock: Socket;
  /** the listener that accepted it: its parked connections go when it stops accepting */
  readonly owner: object;
  readonly start: () => void;
}

export class ConnGate {
  limit: number;
  /** connections admitted and not yet closed */
  active = 0;
  private parked: Parked[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** A connection node accepted paused: `start` runs now if there is room, or once a slot frees.
   *  Its slot is given back when the socket closes, whatever ends it. */
  enter(sock: Socket, owner: object, start: () => void): void {
    this.hold(sock, owner, () => {
      sock.once('close', this.onClose);
      start();
    });
  }

  /** As enter(), but the slot stays taken until the caller's leave() (its session's end). */
  hold(sock: Socket, owner: object, start: () => void): void {
    if (this.active < this.limit) {
      this.active++;
      start();
      return;
    }
    if (this.parked.length >= PARKED_MAX) {
      sock.destroy();
      return;
    }
    sock.on('error', noop);
    this.parked.push({ sock, owner, start });
  }

  /** A connection that cannot wait (uWS): counted at once; false = over the limit, close it.
   *  Every call is matched by one `leave()` when the connection closes, refused or not. */
  enterNow(): boolean {
    this.active++;
    return this.active <= this.limit;
  }

  leave(): void {
    this.active--;
    this.unpark();
  }

  /** `set maxconn global`: open connections stay; parked ones fill new room */
  setLimit(n: number): void {
    this.limit = n;
    this.unpark();
  }

  parkedOn(owner: object): number {
    let n = 0;
    for (const p of this.parked) if (p.owner === owner) n++;
    return n;
  }

  /** like a backlog when its listener closes: connections never started are reset */
  dropParked(owner: object): void {
    const kept: Parked[] = [];
    for (const p of this.parked) {
      if (p.owner === owner) p.sock.destroy();
      else kept.push(p);
    }
    this.parked = kept;
  }

  private readonly onClose = (): void => this.leave();

  private unpark(): void {
    while (this.active < this.limit && this.parked.length > 0) {
      const p = this.parked.shift() as Parked;
      if (p.sock.destroyed) continue;
      this.active++;
      p.start();
    }
  }
}

function noop(): void {}
