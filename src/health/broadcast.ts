// Coalesces store changes into one 'server-state' message per event-loop turn: a burst of changes
// (a backend going down, a state file loaded) reaches workers as one message, not one per server.
// An update equal to the last one sent for that server is dropped: every check result is a store
// change, and re-sending unchanged states would make each worker rebuild its balancers every
// check interval, which resets smooth weighted round robin mid-cycle and skews the weights.
import type { ServerStateUpdate } from '../ipc';
import type { ServerStateStoreImpl } from './store';

export class StateBroadcaster {
  private readonly dirty = new Map<string, ServerStateUpdate>();
  private readonly sent = new Map<string, string>();
  private scheduled = false;

  constructor(
    store: ServerStateStoreImpl,
    private readonly send: (updates: readonly ServerStateUpdate[]) => void,
  ) {
    store.onUpdate((u) => {
      this.dirty.set(`${u.backend}/${u.server}`, u);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.dirty.size === 0) return;
    const updates: ServerStateUpdate[] = [];
    for (const [key, u] of this.dirty) {
      const text = JSON.stringify(u);
      if (this.sent.get(key) === text) continue;
      if (u.deleted === true) this.sent.delete(key);
      else this.sent.set(key, text);
      updates.push(u);
    }
    this.dirty.clear();
    if (updates.length > 0) this.send(updates);
  }
}
