// A statement being compiled: its words and where each one is, so that every diagnostic points
// at the offending word.
import type { Statement } from '../ast';
import type { Diagnostics, Pos } from '../diagnostics';
import type { Origin } from '../model';
import type { Parsed } from '../units';

export class Stmt {
  readonly args: readonly string[];

  constructor(
    readonly st: Statement,
    readonly diags: Diagnostics,
  ) {
    this.args = st.words.map((w) => w.text);
  }

  get kw(): string {
    return this.args[0];
  }

  get origin(): Origin {
    return { file: this.st.file, line: this.st.line };
  }

  /** Position of word i (the last word when i is past the end: "missing argument" points there). */
  pos(i = 0): Pos {
    const words = this.st.words;
    const w = words[Math.min(i, words.length - 1)];
    return { file: this.st.file, line: this.st.line, col: w === undefined ? 1 : w.col };
  }

  alert(i: number, message: string, hint?: string): void {
    this.diags.alert(this.pos(i), message, hint);
  }

  warning(i: number, message: string, hint?: string): void {
    this.diags.warning(this.pos(i), message, hint);
  }

  notice(i: number, message: string): void {
    this.diags.notice(this.pos(i), message);
  }

  /** Unwraps a Parsed value, reporting "'<what>' <message>" against word i on failure. */
  value<T>(i: number, what: string, r: Parsed<T>): T | null {
    if (r.ok) return r.value;
    this.alert(i, `'${what}' ${r.message}.`);
    return null;
  }

  /** The argument at i, or an alert "'<kw>' expects <what>" and null. */
  need(i: number, what: string): string | null {
    const a = this.args[i];
    if (a === undefined) {
      this.alert(i, `'${this.args.slice(0, Math.min(i, 2)).join(' ')}' expects ${what}.`);
      return null;
    }
    return a;
  }

  /** Reports extra words after the last expected argument. Returns false when there were some. */
  noMore(from: number): boolean {
    if (from >= this.args.length) return true;
    this.alert(
      from,
      `'${this.args.slice(0, Math.min(from, 2)).join(' ')}' : unexpected argument '${this.args[from]}'.`,
    );
    return false;
  }
}
