// Incremental HTTP/1.1 response parser (RFC 9112) over the socket's Buffers.
// Hand-written because node's llhttp is only reachable through http.ClientRequest, which is
// lenient where a proxy must be strict (TE + CL, bare LF, obs-fold) and allocates per header.
// Policy is strict-reject whenever the RFC lets a recipient choose (shared/corpus rules #40-41).

import type { BodyKind, UpstreamResponseHead } from './types';
import { CHUNK_LINE_DONE, CHUNK_LINE_ERROR, ChunkLine } from './chunked';
import { COLON, CR, HTAB, LF, SP, TCHAR, VALUE_OK } from './chars';
import { hasToken, isLoneChunked, parseContentLength } from './framing';

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
/** a server streaming endless 1xx would otherwise keep us busy without ever tripping a timeout */
const MAX_INTERIM_RESPONSES = 32;
/** a read with at most this many bytes left is turned into one string whole; beyond, only up to
 *  the end of the header section (found with one search) */
const WHOLE_TEXT_BYTES = 4096;
const SECTION_END = Buffer.from('\r\n\r\n', 'latin1');

export interface ResponseSink {
  onParsedInterim(status: number, reason: string, headers: string[]): void;
  onParsedHead(head: UpstreamResponseHead): void;
  onParsedData(chunk: Buffer): void;
  /** `extraBytes`: bytes followed the end of the response in the same read */
  onParsedEnd(trailers: string[] | null, extraBytes: boolean): void;
}

const enum St {
  Head,
  Length,
  ChunkLine,
  ChunkData,
  ChunkCr,
  ChunkLf,
  Trailers,
  Close,
  Done,
}

export class ResponseParser {
  /** set once parsing failed: why (becomes an UpstreamError('protocol')) */
  error: string | null = null;
  private state = St.Head;
  private headRequest = false;
  private halted = false;
  private paused = false;
  /** bytes received while paused, replayed by resume() */
  private pending: Buffer | null = null;
  /** unterminated line of a head or trailer section */
  private partial: Buffer | null = null;
  private sectionBytes = 0;
  private interims = 0;
  private statusSeen = false;
  private minor = 1;
  private status = 0;
  private reason = '';
  private headers: string[] = [];
  private trailers: string[] | null = null;
  private contentLength = -1;
  private teCount = 0;
  private connClose = false;
  private remaining = 0;
  private readonly chunkLine = new ChunkLine();
  /** the section being parsed as one latin-1 string, from byte `textBase` of the current read:
   *  lines are found and fields sliced in JS, where Buffer.indexOf and toString would each cross
   *  into C++ (about ten crossings per response head) */
  private text = '';
  private textBase = 0;

  constructor(
    private readonly sink: ResponseSink,
    private readonly maxHeaderBytes: number = DEFAULT_MAX_HEADER_BYTES,
  ) {}

  /** prepares for the response to a new request */
  reset(headRequest: boolean): void {
    this.state = St.Head;
    this.headRequest = headRequest;
    this.halted = false;
    this.paused = false;
    this.pending = null;
    this.error = null;
    this.interims = 0;
    this.resetHead();
  }

  get complete(): boolean {
    return this.state === St.Done;
  }

  /** stops every further callback (abort, error) */
  halt(): void {
    this.halted = true;
    this.pending = null;
    this.partial = null;
  }

  pause(): void {
    this.paused = true;
  }

  /** un-pauses and returns bytes held back while paused, to be passed to execute() again */
  resume(): Buffer | null {
    this.paused = false;
    const p = this.pending;
    this.pending = null;
    return p;
  }

  get hasPending(): boolean {
    return this.pending !== null;
  }

  /** consumes a read; returns false on a protocol error (see `error`) */
  execute(data: Buffer): boolean {
    let buf = data;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, data]);
      this.pending = null;
    }
    if (this.partial !== null) {
      buf = Buffer.concat([this.partial, buf]);
      this.partial = null;
    }
    const n = buf.length;
    let pos = 0;
    while (pos < n) {
      if (this.halted) return true;
      if (this.paused) {
        // copied: reads land in a buffer shared by every connection (connection.ts)
        this.pending = Buffer.from(buf.subarray(pos));
        return true;
      }
      switch (this.state) {
        case St.Head:
        case St.Trailers:
          pos = this.lines(buf, pos);
          if (pos < 0) return false;
          break;
        case St.Length: {
          const take = Math.min(this.remaining, n - pos);
          const chunk = buf.subarray(pos, pos + take);
          pos += take;
          this.remaining -= take;
          this.sink.onParsedData(chunk);
          if (this.remaining === 0 && !this.halted) this.finish(null, pos < n);
          break;
        }
        case St.ChunkLine: {
          const r = this.chunkLine.feed(buf[pos++]);
          if (r === CHUNK_LINE_ERROR) return this.fail('invalid chunk size line');
          if (r === CHUNK_LINE_DONE) {
            this.remaining = this.chunkLine.size;
            if (this.remaining === 0) {
              this.state = St.Trailers;
              this.sectionBytes = 0;
            } else this.state = St.ChunkData;
          }
          break;
        }
        case St.ChunkData: {
          const take = Math.min(this.remaining, n - pos);
          const chunk = buf.subarray(pos, pos + take);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = St.ChunkCr;
          this.sink.onParsedData(chunk);
          break;
        }
        case St.ChunkCr:
          if (buf[pos++] !== CR) return this.fail('chunk data longer than its size');
          this.state = St.ChunkLf;
          break;
        case St.ChunkLf:
          if (buf[pos++] !== LF) return this.fail('chunk data not followed by CRLF');
          this.chunkLine.reset();
          this.state = St.ChunkLine;
          break;
        case St.Close:
          this.sink.onParsedData(pos === 0 ? buf : buf.subarray(pos));
          pos = n;
          break;
        case St.Done:
          return true;
      }
    }
    return true;
  }

  /** the server closed its side: returns true when that ends a close-delimited body */
  eof(): boolean {
    if (this.state !== St.Close || this.halted) return false;
    this.finish(null, false);
    return true;
  }

  private fail(msg: string): boolean {
    this.error = msg;
    this.halt();
    return false;
  }

  private finish(trailers: string[] | null, extraBytes: boolean): void {
    this.state = St.Done;
    this.sink.onParsedEnd(trailers, extraBytes);
  }

  private resetHead(): void {
    this.partial = null;
    this.sectionBytes = 0;
    this.statusSeen = false;
    this.headers = [];
    this.trailers = null;
    this.contentLength = -1;
    this.teCount = 0;
    this.connClose = false;
  }

  /** CRLF-terminated lines of a head or trailer section; returns the new offset or -1 */
  private lines(buf: Buffer, start: number): number {
    const n = buf.length;
    let limit = n;
    if (n - start > WHOLE_TEXT_BYTES) {
      const end = buf.indexOf(SECTION_END, start);
      if (end !== -1) limit = end + 4;
    }
    const text = buf.toString('latin1', start, limit);
    this.text = text;
    this.textBase = start;
    let pos = start;
    while (true) {
      const lfText = text.indexOf('\n', pos - start);
      if (lfText === -1) {
        if (this.sectionBytes + (n - pos) > this.maxHeaderBytes) return this.tooLarge();
        // copied: a retained subarray would pin the whole socket read
        if (pos < n) this.partial = Buffer.from(buf.subarray(pos));
        return n;
      }
      const lf = lfText + start;
      this.sectionBytes += lf + 1 - pos;
      if (this.sectionBytes > this.maxHeaderBytes) return this.tooLarge();
      if (lf === pos || buf[lf - 1] !== CR) return this.failAt('bare LF in header section');
      const end = lf - 1;
      const lineStart = pos;
      pos = lf + 1;
      if (end === lineStart) {
        this.text = '';
        if (this.state === St.Trailers) {
          this.finish(this.trailers, pos < n);
          return n;
        }
        if (!this.statusSeen) return this.failAt('empty line before status line');
        if (!this.endOfHead()) return -1;
        if (this.state === St.Done) {
          // a body-less response ends with its head
          if (!this.halted) this.sink.onParsedEnd(null, pos < n);
          return n;
        }
        return pos;
      }
      const ok =
        this.state === St.Trailers
          ? this.fieldLine(buf, lineStart, end, true)
          : this.statusSeen
            ? this.fieldLine(buf, lineStart, end, false)
            : this.statusLine(buf, lineStart, end);
      if (!ok) return -1;
    }
  }

  /** bytes [s, e) of the current read, from the section's string */
  private slice(s: number, e: number): string {
    return this.text.slice(s - this.textBase, e - this.textBase);
  }

  private tooLarge(): number {
    return this.failAt(`header section larger than ${this.maxHeaderBytes} bytes`);
  }

  private failAt(msg: string): number {
    this.fail(msg);
    return -1;
  }

  /**
   * HTTP-version SP 3DIGIT SP reason. Lenient on one point: "HTTP/1.1 200" without the second SP
   * is accepted with an empty reason (as llhttp does); it is unambiguous, so no desync risk.
   */
  private statusLine(buf: Buffer, s: number, e: number): boolean {
    if (
      e - s < 12 ||
      buf[s] !== 0x48 ||
      buf[s + 1] !== 0x54 ||
      buf[s + 2] !== 0x54 ||
      buf[s + 3] !== 0x50 ||
      buf[s + 4] !== 0x2f ||
      buf[s + 5] !== 0x31 ||
      buf[s + 6] !== 0x2e ||
      !isDigit(buf[s + 7]) ||
      buf[s + 8] !== SP ||
      !isDigit(buf[s + 9]) ||
      !isDigit(buf[s + 10]) ||
      !isDigit(buf[s + 11]) ||
      (e > s + 12 && buf[s + 12] !== SP)
    ) {
      return this.fail('invalid status line');
    }
    const status = (buf[s + 9] - 0x30) * 100 + (buf[s + 10] - 0x30) * 10 + (buf[s + 11] - 0x30);
    if (status < 100) return this.fail('invalid status code');
    for (let i = s + 13; i < e; i++) if (VALUE_OK[buf[i]] === 0) return this.fail('invalid reason phrase');
    this.minor = buf[s + 7] - 0x30;
    this.status = status;
    this.reason = e > s + 13 ? this.slice(s + 13, e) : '';
    this.statusSeen = true;
    return true;
  }

  /** field-name ":" OWS field-value OWS; names lower-cased */
  private fieldLine(buf: Buffer, s: number, e: number, trailer: boolean): boolean {
    const c0 = buf[s];
    if (c0 === SP || c0 === HTAB) return this.fail('obs-fold or whitespace-led header line');
    let i = s;
    let upper = false;
    while (i < e) {
      const t = TCHAR[buf[i]];
      if (t === 0) break;
      if (t === 2) upper = true;
      i++;
    }
    if (i === s || i === e || buf[i] !== COLON) return this.fail('invalid header name');
    let vs = i + 1;
    while (vs < e && (buf[vs] === SP || buf[vs] === HTAB)) vs++;
    let ve = e;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
    for (let k = vs; k < ve; k++) if (VALUE_OK[buf[k]] === 0) return this.fail('invalid header value');
    const raw = this.slice(s, i);
    const name = upper ? raw.toLowerCase() : raw;
    const value = vs < ve ? this.slice(vs, ve) : '';
    if (trailer) {
      // trailers are passed on as trailers and never reinterpreted as framing (rules #14)
      if (this.trailers === null) this.trailers = [];
      this.trailers.push(name, value);
      return true;
    }
    this.headers.push(name, value);
    return this.framingHeader(name, value);
  }

  private framingHeader(name: string, value: string): boolean {
    switch (name.length) {
      case 14:
        if (name === 'content-length') {
          const cl = parseContentLength(value);
          if (cl < 0) return this.fail('invalid content-length');
          if (this.contentLength !== -1 && this.contentLength !== cl) {
            return this.fail('conflicting content-length values');
          }
          this.contentLength = cl;
        }
        return true;
      case 17:
        if (name === 'transfer-encoding') {
          // a second TE header extends the coding list, so it is never a lone chunked
          if (++this.teCount > 1 || !isLoneChunked(value)) {
            return this.fail('unsupported transfer-encoding');
          }
        }
        return true;
      case 10:
        if (name === 'connection' && hasToken(value, 'close')) this.connClose = true;
        return true;
      default:
        return true;
    }
  }

  private endOfHead(): boolean {
    const status = this.status;
    if (status < 200) {
      // Upgrades need a tunnel mode the pipeline does not have yet; a 101 we did not ask for
      // would leave the connection speaking another protocol.
      if (status === 101) return this.fail('101 Switching Protocols is not supported');
      if (++this.interims > MAX_INTERIM_RESPONSES) return this.fail('too many interim responses');
      const headers = this.headers;
      this.resetHead();
      this.sink.onParsedInterim(status, this.reason, headers);
      return true;
    }
    const chunked = this.teCount > 0;
    const cl = this.contentLength;
    // RFC 9112 §6.3 lets a recipient frame by TE and drop CL; sluice rejects (smuggling vector)
    if (chunked && cl !== -1) return this.fail('both transfer-encoding and content-length');
    // RFC 9112 §6.1: TE in an HTTP/1.0 message means faulty framing
    if (chunked && this.minor === 0) return this.fail('transfer-encoding in an HTTP/1.0 response');
    let willClose = this.minor === 0 || this.connClose;
    let body: BodyKind;
    if (this.headRequest || status === 204 || status === 304) {
      body = 'none';
      this.state = St.Done;
    } else if (chunked) {
      body = 'chunked';
      this.chunkLine.reset();
      this.state = St.ChunkLine;
    } else if (cl !== -1) {
      body = 'length';
      this.remaining = cl;
      this.state = cl === 0 ? St.Done : St.Length;
    } else {
      body = 'close';
      willClose = true;
      this.state = St.Close;
    }
    this.sink.onParsedHead({
      status,
      reason: this.reason,
      headers: this.headers,
      body,
      contentLength: body === 'length' ? cl : -1,
      willClose,
    });
    return true;
  }
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}
