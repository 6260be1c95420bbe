// Numeric arguments as HAProxy reads them: times default to milliseconds with units
// us/ms/s/m/h/d (parse_time_err), sizes accept k/m/g (parse_size_err), integers are plain decimal.
import { isIP } from 'node:net';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const TIME_UNITS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** HAProxy keeps times in a signed 32-bit millisecond counter. */
const MAX_TIME_MS = 2_147_483_647;

export function parseTime(text: string): Parsed<number> {
  const m = /^([0-9]+)([a-z]*)$/.exec(text);
  if (m === null) {
    const bad = /[^0-9]/.exec(text)?.[0] ?? '';
    return { ok: false, message: text === '' ? 'missing time value' : `unexpected character '${bad}'` };
  }
  const unit = m[2] === '' ? 'ms' : m[2];
  const mult = TIME_UNITS[unit];
  if (mult === undefined)
    return { ok: false, message: `unknown time unit '${m[2]}' (use us, ms, s, m, h or d)` };
  // Sub-millisecond values round up so that `timeout x 500us` does not silently become "infinite".
  const ms = Math.ceil(Number(m[1]) * mult);
  if (!Number.isSafeInteger(ms) || ms > MAX_TIME_MS) return { ok: false, message: 'timer overflow' };
  return { ok: true, value: ms };
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseSize(text: string): Parsed<number> {
  const m = /^([0-9]+)([kmgKMG]?)$/.exec(text);
  if (m === null)
    return {
      ok: false,
      message: `invalid size '${text}' (expects an integer with an optional k, m or g unit)`,
    };
  const v = Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()];
  if (!Number.isSafeInteger(v) || v > 2 ** 31 - 1)
    return { ok: false, message: `size '${text}' is too large` };
  return { ok: true, value: v };
}

export function parseIntArg(text: string, min: number, max: number): Parsed<number> {
  if (!/^-?[0-9]+$/.test(text)) return { ok: false, message: `expects an integer, got '${text}'` };
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    return { ok: false, message: `expects an integer between ${min} and ${max}, got '${text}'` };
  }
  return { ok: true, value: v };
}

export function parsePort(text: string): Parsed<number> {
  const r = parseIntArg(text, 1, 65535);
  return r.ok ? r : { ok: false, message: `invalid port '${text}' (expects 1-65535)` };
}

/** bind ports: 0 asks the kernel for a free port (sluice extension, used by tests and tools) */
export function parseBindPort(text: string): Parsed<number> {
  const r = parseIntArg(text, 0, 65535);
  return r.ok ? r : { ok: false, message: `invalid port '${text}' (expects 0-65535)` };
}

/** An address or a network: IPv4/IPv6, optionally with /prefix (or an IPv4 dotted mask). */
export function isNetwork(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return isIP(text) !== 0;
  const addr = text.slice(0, slash);
  const mask = text.slice(slash + 1);
  const family = isIP(addr);
  if (family === 0) return false;
  if (/^[0-9]+$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(mask) === 4;
}

export interface HostPort {
  readonly host: string;
  readonly port: string | null;
  /** the address family prefix that was written, if any (ipv4@, ipv6@, udp@ ...) */
  readonly prefix: string | null;
}

/**
 * Splits `[prefix@]host[:port]`: `[::1]:80`, `::1:80` (the port follows the last colon, as in
 * HAProxy's str2sa_range), `1.2.3.4:80`, `:80`, `*:80`, `name:80`, `1.2.3.4`.
 */
export function splitHostPort(text: string): HostPort {
  let rest = text;
  let prefix: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    prefix = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close > 0) {
      const after = rest.slice(close + 1);
      return { host: rest.slice(1, close), port: after.startsWith(':') ? after.slice(1) : null, prefix };
    }
  }
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { host: rest, port: null, prefix };
  return { host: rest.slice(0, colon), port: rest.slice(colon + 1), prefix };
}
