// `errorfile <code> <file>`: a complete raw HTTP response, read once at compile time, replacing
// the page sluice generates for that status. `errorfile 408 /dev/null` (an empty file) is the usual
// way to close silently, so an empty file is valid.
import { readFileSync, statSync } from 'node:fs';
import { isFieldValue, isToken } from '../../util/http-syntax';
import type { ErrorFileModel } from '../model';
import type { Stmt } from './stmt';

export const ERRORFILE_CODES: readonly number[] = [
  200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 414, 425, 429, 431, 500, 501, 502, 503, 504,
];

export interface RawResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly headers: (readonly [string, string])[];
  readonly body: string;
}

/** Splits a raw HTTP/1.x response into its parts; null when it is not one. */
export function parseRawResponse(raw: string): RawResponse | null {
  const sep = /\r?\n\r?\n/.exec(raw);
  const head = sep === null ? raw : raw.slice(0, sep.index);
  const body = sep === null ? '' : raw.slice(sep.index + sep[0].length);
  const lines = head.split(/\r?\n/);
  const m = /^HTTP\/1\.[01] ([1-5][0-9]{2})(?: .*)?$/.exec(lines[0]);
  if (m === null) return null;
  let contentType: string | null = null;
  const headers: (readonly [string, string])[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    // a bare CR or another control byte would reach the client as written
    if (!isToken(name) || !isFieldValue(value)) return null;
    const lower = name.toLowerCase();
    if (lower === 'content-type') contentType = value;
    else if (lower !== 'content-length' && lower !== 'transfer-encoding') headers.push([name, value]);
  }
  return { status: Number(m[1]), contentType, headers, body };
}

/**
 * Reads a small file for the config. Only regular files (and /dev/null) are read, so a
 * configuration naming a device or a FIFO cannot hang or exhaust the compiler.
 */
export function readSmallFile(
  file: string,
  limit: number,
): { ok: true; text: string } | { ok: false; message: string } {
  try {
    if (file === '/dev/null') return { ok: true, text: '' };
    const st = statSync(file);
    if (!st.isFile()) return { ok: false, message: `error opening file '${file}' : not a regular file` };
    if (st.size > limit)
      return { ok: false, message: `file '${file}' is ${st.size} bytes, more than the limit of ${limit}` };
    return { ok: true, text: readFileSync(file, 'latin1') };
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? e.code : null;
    const why =
      code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : String(e);
    return { ok: false, message: `error opening file '${file}' : ${why}` };
  }
}

export function parseErrorfile(s: Stmt, bufsize: number): ErrorFileModel | null {
  const code = s.need(1, 'an HTTP status code and a file name');
  const file = code === null ? null : s.need(2, 'an HTTP status code and a file name');
  if (code === null || file === null || !s.noMore(3)) return null;
  const status = Number(code);
  if (!/^[0-9]{3}$/.test(code) || !ERRORFILE_CODES.includes(status)) {
    s.alert(1, `status code '${code}' cannot be overridden (supported: ${ERRORFILE_CODES.join(' ')}).`);
    return null;
  }
  const r = readSmallFile(file, bufsize);
  if (!r.ok) {
    s.alert(2, `${r.message}.`);
    return null;
  }
  const raw = r.text;
  if (raw !== '' && parseRawResponse(raw) === null) {
    s.alert(
      2,
      `errorfile '${file}' is not a valid HTTP response (it must start with a status line such as 'HTTP/1.1 503 Service Unavailable').`,
    );
    return null;
  }
  return { status, file, raw };
}
