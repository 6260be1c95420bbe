// Coalesces store changes into one 'server-state' message per event-loop turn: a burst of changes
// (a backend going down, a state file loaded) reaches workers as one message, not one per server.
import type { ServerStateUpdate } from '../ipc';
import type { ServerStateStoreImpl } from './store';

export class StateBroadcaster {
  private readonly dirty = new Map<string, ServerStateUpdate>();
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
    const updates = [...this.dirty.values()];
    this.dirty.clear();
    this.send(updates);
  }
}
