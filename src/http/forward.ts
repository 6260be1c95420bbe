// Builds what goes upstream from what came in: hop-by-hop headers removed (RFC 9110 §7.6.1, plus
// every header the Connection header names), then sluice's own X-Forwarded-* added after stripping,
// so a client can never smuggle them through `Connection: x-forwarded-for`.
import type { ForwardForModel } from '../config/model';
import type { Exchange } from './exchange';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'trailer',
]);

/** the header names a Connection header lists (they are hop-by-hop too), or null */
function connectionNamed(headers: readonly string[]): Set<string> | null {
  let named: Set<string> | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'connection') {
      const v = headers[i + 1] as string;
      // the usual values name nothing beyond the hop-by-hop set: no split, no allocation
      if (v === 'keep-alive' || v === 'close' || v === 'Keep-Alive' || v === 'Close') continue;
      for (const tok of v.split(',')) {
        const t = tok.trim().toLowerCase();
        if (t.length > 0) (named ??= new Set()).add(t);
      }
    }
  }
  return named;
}

function dropped(
  name: string,
  named: Set<string> | null,
  extraDrop: ReadonlySet<string> | undefined,
): boolean {
  return (
    HOP_BY_HOP.has(name) ||
    (named !== null && named.has(name)) ||
    (extraDrop !== undefined && extraDrop.has(name))
  );
}

/** Copies headers without hop-by-hop ones. `extraDrop` are further lower-case names to drop. */
export function stripHopByHop(headers: readonly string[], extraDrop?: ReadonlySet<string>): string[] {
  const named = connectionNamed(headers);
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (!dropped(name, named, extraDrop)) out.push(name, headers[i + 1] as string);
  }
  return out;
}

/** stripHopByHop in place, for a list nobody else holds (a parsed response's): no copy */
export function dropHopByHop(headers: string[], extraDrop?: ReadonlySet<string>): string[] {
  const named = connectionNamed(headers);
  let w = 0;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (dropped(name, named, extraDrop)) continue;
    if (w !== i) {
      headers[w] = name;
      headers[w + 1] = headers[i + 1] as string;
    }
    w += 2;
  }
  headers.length = w;
  return headers;
}

/** true when the client asked to close after this request (HTTP/1.1 `close`, HTTP/1.0 without keep-alive) */
export function clientWantsClose(ex: Exchange): boolean {
  const c = ex.header('connection');
  if (ex.version === '1.0') return c === undefined || !/(^|,)\s*keep-alive\s*(,|$)/i.test(c);
  return c !== undefined && /(^|,)\s*close\s*(,|$)/i.test(c);
}

export interface ForwardedOptions {
  readonly forwardFor: ForwardForModel | null;
  /** client address excluded by `except`? computed by the caller's compiled matcher */
  readonly skipForwardFor: boolean;
}

/**
 * option forwardfor: appends `X-Forwarded-For: <client ip>` as a new header line (HAProxy appends,
 * servers read the last one), and sets X-Forwarded-Proto / X-Forwarded-Host (sluice extension,
 * as Traefik does; overwritten, never trusted from the client).
 */
export function addForwarded(out: string[], ex: Exchange, ff: ForwardForModel, skip: boolean): void {
  if (skip) return;
  if (ff.ifNone) {
    for (let i = 0; i < out.length; i += 2) if (out[i] === ff.header) return;
  }
  out.push(ff.header, ex.src);
  setOne(out, 'x-forwarded-proto', ex.tls ? 'https' : 'http');
  const host = ex.header('host');
  if (host !== undefined) setOne(out, 'x-forwarded-host', host);
}

function setOne(h: string[], name: string, value: string): void {
  for (let i = 0; i < h.length; i += 2) {
    if (h[i] === name) {
      h.splice(i, 2);
      i -= 2;
    }
  }
  h.push(name, value);
}
