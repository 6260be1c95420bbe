// Request head serialization: one string, written with one socket.write (one syscall with
// setNoDelay, one packet for small heads). Latin-1 keeps header bytes as received from the client.

import type { UpstreamRequestHead } from './types';
import { hasToken } from './framing';

export const CRLF = '\r\n';
export const LAST_CHUNK = '0\r\n\r\n';

export function serializeHead(head: UpstreamRequestHead): string {
  let s = head.method + ' ' + head.target + ' HTTP/1.1\r\n';
  const h = head.headers;
  let hasClose = false;
  for (let i = 0; i + 1 < h.length; i += 2) {
    const name = h[i];
    const value = h[i + 1];
    if (head.close && !hasClose && name === 'connection' && hasToken(value, 'close')) hasClose = true;
    s += name + ': ' + value + CRLF;
  }
  if (head.close && !hasClose) s += 'connection: close\r\n';
  return s + CRLF;
}

/** chunk-size line for one body chunk of a chunked request */
export function chunkHeader(size: number): string {
  return size.toString(16) + CRLF;
}
