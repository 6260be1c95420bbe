// The catalogue of replies sluice generates itself (STYLE 7): HAProxy's built-in error pages, byte
// for byte (haproxy src/http.c http_err_msgs, including its typos, so tooling that greps for them
// keeps working), the reason phrases of its status lines, and `errorfile` overrides.

import type { ErrorFileModel } from '../config/model';
import type { LocalReply } from './exchange';

export interface ErrorEntry {
  /** stable identifier for logs and metrics, HAProxy's enum name */
  readonly code: string;
  readonly status: number;
  /** reason phrase of HAProxy's status line for this page (differs from the generic table at times) */
  readonly reason: string;
  /** the explanatory line of the page */
  readonly message: string;
  /** HAProxy sends `Connection: close` with this page */
  readonly close: boolean;
}

function entry(status: number, reason: string, message: string, close = false): ErrorEntry {
  return { code: `HTTP_ERR_${status}`, status, reason, message, close };
}

/** Every status HAProxy has a built-in page for (the statuses `errorfile` accepts). */
export const ERROR_CATALOGUE: readonly ErrorEntry[] = [
  entry(200, 'OK', 'Service ready.'),
  entry(400, 'Bad request', 'Your browser sent an invalid request.', true),
  entry(401, 'Unauthorized', 'You need a valid user and password to access this content.'),
  entry(403, 'Forbidden', 'Request forbidden by administrative rules.'),
  entry(404, 'Not Found', 'The resource could not be found.'),
  entry(
    405,
    'Method Not Allowed',
    'A request was made of a resource using a request method not supported by that resource',
  ),
  entry(407, 'Unauthorized', 'You need a valid user and password to access this content.'),
  entry(408, 'Request Time-out', "Your browser didn't send a complete request in time.", true),
  entry(410, 'Gone', 'The resource is no longer available and will not be available again.'),
  entry(413, 'Payload Too Large', 'The request entity exceeds the maximum allowed.'),
  entry(414, 'URI Too Long', 'The URI provided was too long for the server to process.'),
  entry(421, 'Misdirected Request', 'Request sent to a non-authoritative server.'),
  entry(422, 'Unprocessable Content', 'The server cannot process the contained instructions.'),
  entry(425, 'Too Early', 'Your browser sent early data.'),
  entry(429, 'Too Many Requests', 'You have sent too many requests in a given amount of time.'),
  entry(431, 'Request Header Fields Too Large', '>Request Header Fields Too Large.'),
  entry(500, 'Internal Server Error', 'An internal server error occurred.'),
  entry(
    501,
    'Not Implemented',
    '.The server does not support the functionality required to fulfill the request.',
  ),
  entry(502, 'Bad Gateway', 'The server returned an invalid or incomplete response.'),
  entry(503, 'Service Unavailable', 'No server is available to handle this request.'),
  entry(504, 'Gateway Time-out', "The server didn't respond in time."),
];

const BY_STATUS = new Map<number, ErrorEntry>(ERROR_CATALOGUE.map((e) => [e.status, e]));

/** Statuses that have a built-in page (what `errorfile` and `deny status` accept). */
export function hasErrorPage(status: number): boolean {
  return BY_STATUS.has(status);
}

// haproxy src/http.c http_get_reason()
const REASONS: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  210: 'Content Different',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  310: 'Too many Redirects',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Requested range unsatisfiable',
  417: 'Expectation failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Method failure',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  449: 'Retry With',
  450: 'Blocked by Windows Parental Controls',
  451: 'Unavailable For Legal Reasons',
  456: 'Unrecoverable Error',
  499: 'client has closed connection',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway or Proxy Error',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version not supported',
  506: 'Variant also negotiate',
  507: 'Insufficient storage',
  508: 'Loop detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not extended',
  511: 'Network authentication required',
  520: 'Web server is returning an unknown error',
};

/**
 * Reason phrase for a status line sluice writes. For statuses with a built-in page this is the
 * page's own phrase (so "400 Bad request" goes out exactly as HAProxy's page does); otherwise
 * HAProxy's generic table, then the class name.
 */
export function reasonPhrase(status: number): string {
  const page = BY_STATUS.get(status);
  if (page !== undefined) return page.reason;
  const known = REASONS[status];
  if (known !== undefined) return known;
  if (status >= 100 && status < 200) return 'Informational';
  if (status >= 200 && status < 300) return 'Success';
  if (status >= 300 && status < 400) return 'Redirection';
  if (status >= 400 && status < 500) return 'Client Error';
  if (status >= 500 && status < 600) return 'Server Error';
  return 'Other';
}

/**
 * A reply with this status means "send nothing, just close the connection": what an empty
 * errorfile (`errorfile 408 /dev/null`) does in HAProxy.
 */
export const SILENT_CLOSE_STATUS = 0;

const PAGE_HEADERS: readonly string[] = Object.freeze([
  'cache-control',
  'no-cache',
  'content-type',
  'text/html',
]);

function buildPage(status: number): LocalReply {
  const e = BY_STATUS.get(status);
  // Statuses without a page (only reachable through a config the compiler should have refused)
  // still get a well-formed page in the same style rather than a wrong status.
  const reason = e?.reason ?? reasonPhrase(status);
  const message = e !== undefined ? `${e.message}\n` : '';
  return Object.freeze({
    status,
    headers: PAGE_HEADERS,
    body: `<html><body><h1>${status} ${reason}</h1>\n${message}</body></html>\n`,
    close: e?.close ?? false,
  });
}

const pageCache = new Map<number, LocalReply>();

function defaultPage(status: number): LocalReply {
  let r = pageCache.get(status);
  if (r === undefined) {
    r = buildPage(status);
    pageCache.set(status, r);
  }
  return r;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses an errorfile (a raw HTTP/1 response: status line, headers, blank line, body) with the
 * checks HAProxy applies at load time. Returns the reply, or an error text for the config compiler.
 * `content-length` is dropped (the sender computes it) after checking it matches the body;
 * `connection: close` becomes `close: true`.
 */
export function parseErrorFile(raw: string): LocalReply | string {
  if (raw.length === 0)
    return Object.freeze({ status: SILENT_CLOSE_STATUS, headers: [], body: '', close: true });
  let headEnd = raw.indexOf('\r\n\r\n');
  let bodyStart = headEnd + 4;
  const lf = raw.indexOf('\n\n');
  if (lf >= 0 && (headEnd < 0 || lf < headEnd)) {
    headEnd = lf;
    bodyStart = lf + 2;
  }
  if (headEnd < 0) return 'unable to parse headers: missing empty line after the headers';
  const lines = raw.slice(0, headEnd).split(/\r?\n/);
  const statusLine = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (statusLine === null) return `invalid status line '${lines[0] ?? ''}'`;
  const status = Number(statusLine[2]);
  if (status < 101 || status === 102 || (status > 102 && status < 200) || status > 599)
    return `unexpected status code '${status}'`;
  const headers: string[] = [];
  let contentLength: number | null = null;
  let close = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).toLowerCase() : '';
    if (!TOKEN.test(name)) return `malformed header line ${i + 1}: '${line}'`;
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value) || (contentLength !== null && contentLength !== Number(value)))
        return `invalid content-length '${value}'`;
      contentLength = Number(value);
    } else if (name === 'transfer-encoding') {
      return 'chunk-encoded payload not supported';
    } else if (name === 'connection') {
      if (/(^|,)\s*close\s*(,|$)/i.test(value)) close = true;
    } else headers.push(name, value);
  }
  const body = raw.slice(bodyStart);
  const bodyLength = Buffer.byteLength(body);
  if ((status === 204 || status === 304) && bodyLength > 0) return 'message payload not expected';
  if (contentLength !== null && contentLength !== bodyLength)
    return `payload size does not match the announced content-length (${bodyLength} != ${contentLength})`;
  return Object.freeze({ status, headers: Object.freeze(headers) as readonly string[], body, close });
}

const fileCache = new WeakMap<ErrorFileModel, LocalReply>();

function fileReply(ef: ErrorFileModel): LocalReply {
  let r = fileCache.get(ef);
  if (r === undefined) {
    const parsed = parseErrorFile(ef.raw);
    // The compiler rejects malformed errorfiles; if one slips through, the built-in page is safer.
    r = typeof parsed === 'string' ? defaultPage(ef.status) : parsed;
    fileCache.set(ef, r);
  }
  return r;
}

/**
 * The reply for an error status: the proxy's errorfile for it when there is one, else HAProxy's
 * built-in page. Replies are immutable and cached; callers must not modify them.
 */
export function errorReply(status: number, errorFiles?: readonly ErrorFileModel[]): LocalReply {
  if (errorFiles !== undefined) {
    for (let i = errorFiles.length - 1; i >= 0; i--) {
      const ef = errorFiles[i] as ErrorFileModel;
      if (ef.status === status) return fileReply(ef);
    }
  }
  return defaultPage(status);
}

/**
 * Resolves every error reply of a proxy once, at load: the hot path then does one Map lookup.
 * Later `errorfile` lines for the same status win, as in HAProxy.
 */
export function compileErrorReplies(errorFiles: readonly ErrorFileModel[]): (status: number) => LocalReply {
  const table = new Map<number, LocalReply>();
  for (const e of ERROR_CATALOGUE) table.set(e.status, errorReply(e.status, errorFiles));
  for (const ef of errorFiles) table.set(ef.status, errorReply(ef.status, errorFiles));
  return (status) => table.get(status) ?? defaultPage(status);
}
