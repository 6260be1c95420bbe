// The chunk-size line of RFC 9112 §7.1, byte by byte, so a line split across TCP reads needs no
// buffering:  chunk-size [ chunk-ext ] CRLF
//   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
// Extensions are validated and dropped (nothing downstream understands them).

import { BACKSLASH, CR, DQUOTE, EQUALS, HEX, HTAB, LF, SEMI, SP, TCHAR, VALUE_OK } from './chars';

const enum S {
  Size,
  SizeBws, // BWS after the size: only ";" may follow
  BeforeName,
  Name,
  AfterName,
  BeforeVal,
  TokenVal,
  QuotedVal,
  QuotedPair,
  QuoteEnd, // right after a closing quote: like the end of a token value
  AfterVal, // BWS after a value or name: only ";" may follow
  Lf,
}

export const CHUNK_LINE_MORE = 0;
export const CHUNK_LINE_DONE = 1;
export const CHUNK_LINE_ERROR = -1;

/** bounds the extension bytes a server can make us scan (RFC 9112 §7.1.1 asks for a limit) */
const MAX_LINE_BYTES = 4096;
/** keeps the size an exact integer */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

export class ChunkLine {
  size = 0;
  private state = S.Size;
  private digits = 0;
  private bytes = 0;

  reset(): void {
    this.size = 0;
    this.state = S.Size;
    this.digits = 0;
    this.bytes = 0;
  }

  /** feeds one byte: CHUNK_LINE_DONE after the LF, CHUNK_LINE_ERROR on any syntax error */
  feed(b: number): number {
    if (++this.bytes > MAX_LINE_BYTES) return CHUNK_LINE_ERROR;
    switch (this.state) {
      case S.Size: {
        const h = HEX[b];
        if (h !== 0) {
          const next = this.size * 16 + (h - 1);
          if (next > MAX_SIZE) return CHUNK_LINE_ERROR;
          this.size = next;
          this.digits++;
          return CHUNK_LINE_MORE;
        }
        if (this.digits === 0) return CHUNK_LINE_ERROR;
        return this.afterValue(b, S.SizeBws);
      }
      case S.SizeBws:
      case S.AfterVal:
        if (b === SP || b === HTAB) return CHUNK_LINE_MORE;
        return this.expect(b === SEMI, S.BeforeName);
      case S.BeforeName:
        if (b === SP || b === HTAB) return CHUNK_LINE_MORE;
        return this.expect(TCHAR[b] !== 0, S.Name);
      case S.Name:
        if (TCHAR[b] !== 0) return CHUNK_LINE_MORE;
        if (b === EQUALS) return this.to(S.BeforeVal);
        if (b === SP || b === HTAB) return this.to(S.AfterName);
        return this.afterValue(b, S.AfterName);
      case S.AfterName:
        if (b === SP || b === HTAB) return CHUNK_LINE_MORE;
        if (b === EQUALS) return this.to(S.BeforeVal);
        return this.expect(b === SEMI, S.BeforeName);
      case S.BeforeVal:
        if (b === SP || b === HTAB) return CHUNK_LINE_MORE;
        if (b === DQUOTE) return this.to(S.QuotedVal);
        return this.expect(TCHAR[b] !== 0, S.TokenVal);
      case S.TokenVal:
        if (TCHAR[b] !== 0) return CHUNK_LINE_MORE;
        return this.afterValue(b, S.AfterVal);
      case S.QuoteEnd:
        return this.afterValue(b, S.AfterVal);
      case S.QuotedVal:
        if (b === DQUOTE) return this.to(S.QuoteEnd);
        if (b === BACKSLASH) return this.to(S.QuotedPair);
        return VALUE_OK[b] !== 0 ? CHUNK_LINE_MORE : CHUNK_LINE_ERROR;
      case S.QuotedPair:
        return this.expect(VALUE_OK[b] !== 0, S.QuotedVal);
      case S.Lf:
        return b === LF ? CHUNK_LINE_DONE : CHUNK_LINE_ERROR;
    }
  }

  /** after a size, name or value: ";" starts an extension, CR ends the line, SP/HTAB is BWS */
  private afterValue(b: number, bws: S): number {
    if (b === SEMI) return this.to(S.BeforeName);
    if (b === CR) return this.to(S.Lf);
    if (b === SP || b === HTAB) return this.to(bws);
    return CHUNK_LINE_ERROR;
  }

  private expect(ok: boolean, next: S): number {
    if (!ok) return CHUNK_LINE_ERROR;
    this.state = next;
    return CHUNK_LINE_MORE;
  }

  private to(next: S): number {
    this.state = next;
    return CHUNK_LINE_MORE;
  }
}
