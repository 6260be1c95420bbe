// global `pidfile`: holds the primary's pid (haproxy master-worker writes the master's), so
// `kill -TERM $(cat pidfile)` starts a graceful stop of the whole tree.
import { unlinkSync, writeFileSync } from 'node:fs';

export class PidFile {
  private written = false;

  constructor(readonly path: string) {}

  write(): void {
    writeFileSync(this.path, `${process.pid}\n`);
    this.written = true;
  }

  /** Safe to call several times and from an 'exit' handler (synchronous, never throws). */
  remove(): void {
    if (!this.written) return;
    this.written = false;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone (removed by hand or a tmp cleaner): nothing left to do.
    }
  }
}
