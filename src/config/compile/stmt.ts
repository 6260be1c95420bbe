// A statement being compiled: its words and where each one is, so that every diagnostic points
// at the offending word.
import type { Statement } from '../ast';
import type { Diagnostics, Pos } from '../diagnostics';
import type { Origin } from '../model';
import type { Parsed } from '../units';
import { isFieldValue, isToken } from '../../util/http-syntax';

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

  /** A header name (word i) must be an HTTP token; false after an alert otherwise. */
  fieldName(i: number, name: string): boolean {
    if (isToken(name)) return true;
    this.alert(i, `'${printable(name)}' is not a valid header name (RFC 9110 token characters only).`);
    return false;
  }

  /**
   * Text that ends up in a message head (word i): no control character (CR and LF would split
   * the message, as the config's \r, \n and \xHH escapes could write them) and no DEL.
   */
  fieldValue(i: number, value: string, what = 'header value'): boolean {
    if (isFieldValue(value)) return true;
    const wide = [...value].find((c) => c.charCodeAt(0) > 0xff);
    this.alert(
      i,
      wide === undefined
        ? `${what} '${printable(value)}' contains a control character: it would split or corrupt the message.`
        : `${what} '${printable(value)}' contains '${wide}', beyond U+00FF: a header carries bytes (ISO-8859-1), not that character.`,
    );
    return false;
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

/** The text with control characters and DEL shown as \xHH, for a diagnostic. */
function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : s.charAt(i);
  }
  return out;
}
