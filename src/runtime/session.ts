// One runtime API connection, with HAProxy's wire behaviour: by default one line is read, its
// ';'-separated commands run, the replies written and the connection closed; `prompt` switches to
// interactive mode (a "> " prompt after each reply) until `quit`. Every reply ends with an empty
// line. Nothing a client sends may throw out of here: bad input gets a reply, a slow or absent
// reader is bounded by the idle timeout and the output limit.
import type { Socket } from 'node:net';
import { splitLine } from './parse';
import type { CommandRegistry, Level } from './registry';
import type { RuntimeServices } from './services';

/** A longer line is refused (HAProxy bounds it by its buffer size). */
export const MAX_LINE = 64 * 1024;
/** Replies pile up in memory for a client that never reads: past this, the connection is dropped. */
export const MAX_PENDING_OUTPUT = 16 * 1024 * 1024;

export class CliSession {
  private buf = '';
  private interactive = false;
  private withPrompt = false;
  private busy = false;
  private closed = false;
  private readonly queue: string[] = [];

  constructor(
    private readonly sock: Socket,
    private readonly level: Level,
    private readonly registry: CommandRegistry,
    private readonly rt: RuntimeServices,
    idleTimeoutMs: number,
  ) {
    sock.setEncoding('utf8');
    sock.on('error', () => this.close());
    sock.on('close', () => (this.closed = true));
    sock.on('data', (d: string) => this.onData(d));
    // a non-interactive client may half-close right after its command line
    sock.on('end', () => this.onEnd());
    if (idleTimeoutMs > 0) {
      sock.setTimeout(idleTimeoutMs);
      sock.on('timeout', () => this.close());
    }
  }

  private onData(d: string): void {
    if (this.closed) return;
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      this.queue.push(line);
    }
    if (this.buf.length > MAX_LINE) {
      this.buf = '';
      this.queue.push('\u0000toolong');
    }
    void this.pump();
  }

  private onEnd(): void {
    if (this.buf.length > 0) {
      this.queue.push(this.buf);
      this.buf = '';
    }
    this.queue.push('\u0000eof');
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const line = this.queue.shift() as string;
        if (line === '\u0000eof') {
          this.finish();
          return;
        }
        if (line === '\u0000toolong') {
          this.write(`Command line too long (more than ${MAX_LINE} bytes).\n\n`);
          this.finish();
          return;
        }
        const keep = await this.runLine(line);
        if (!keep) {
          this.finish();
          return;
        }
        if (this.sock.writableLength > MAX_PENDING_OUTPUT) {
          this.close();
          return;
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** false when the connection must end after this line */
  private async runLine(line: string): Promise<boolean> {
    for (const words of splitLine(line)) {
      const kw = words[0];
      if (kw === 'quit') return false;
      let out = '';
      if (kw === 'prompt') this.setPrompt(words[1]);
      else out = await this.registry.run(words, this.level, this.rt);
      if (this.closed) return false;
      // every reply, even an empty one, ends with an empty line
      this.write(out === '' || out.endsWith('\n') ? out + '\n' : out + '\n\n');
    }
    if (this.interactive && this.withPrompt) this.write('> ');
    return this.interactive;
  }

  /** `prompt` toggles interactive mode with a prompt; `n`, `i`, `p` set a mode, as in HAProxy */
  private setPrompt(arg: string | undefined): void {
    if (arg === 'n') {
      this.interactive = false;
    } else if (arg === 'i' || arg === 'p') {
      this.interactive = true;
      this.withPrompt = arg === 'p';
    } else {
      this.interactive = !this.interactive;
      this.withPrompt = this.interactive;
    }
  }

  private write(s: string): void {
    if (this.closed || s === '') return;
    this.sock.write(s);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.end();
  }

  private close(): void {
    this.closed = true;
    this.sock.destroy();
  }
}
