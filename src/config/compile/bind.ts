// `bind <addr>:<port>[,<addr>:<port>...] [options]`. Addresses: `*` or empty (all IPv4),
// IPv4, `[v6]`, `::`-style IPv6 with the port after the last colon, `ipv4@`/`ipv6@` prefixes.
// Options: `name <n>` and sluice's own `front uws|node` (which HTTP/1 parser serves the listener).
import { isIP } from 'node:net';
import { didYouMean } from '../diagnostics';
import { UNSUPPORTED_BIND_OPTIONS } from '../keywords';
import type { BindModel, FrontKind } from '../model';
import { parseBindPort, splitHostPort } from '../units';
import type { ProxyDraft } from './draft';
import type { Stmt } from './stmt';

const FRONTS: readonly FrontKind[] = ['uws', 'node'];

function parseAddress(s: Stmt, text: string): { address: string; port: number } | null {
  const hp = splitHostPort(text);
  if (text.startsWith('/') || (hp.prefix !== null && hp.prefix !== 'ipv4' && hp.prefix !== 'ipv6')) {
    const family = hp.prefix === null ? 'unix' : hp.prefix;
    s.alert(1, `bind address '${text}' : '${family}' sockets are not supported by sluice yet.`);
    return null;
  }
  if (hp.port === null || hp.port === '') {
    s.alert(1, `bind address '${text}' : missing port (expects [<address>]:<port>).`);
    return null;
  }
  if (/^[0-9]+-[0-9]+$/.test(hp.port)) {
    s.alert(1, `bind address '${text}' : port ranges are not supported by sluice yet.`);
    return null;
  }
  const port = s.value(1, 'bind', parseBindPort(hp.port));
  if (port === null) return null;
  let address = hp.host;
  if (address === '' || address === '*') address = hp.prefix === 'ipv6' ? '::' : '0.0.0.0';
  else if (address === 'localhost') address = '127.0.0.1';
  const family = isIP(address);
  if (family === 0) {
    s.alert(1, `bind address '${text}' : '${address}' is not a numeric IPv4 or IPv6 address.`);
    return null;
  }
  if ((hp.prefix === 'ipv4' && family !== 4) || (hp.prefix === 'ipv6' && family !== 6)) {
    s.alert(1, `bind address '${text}' : '${address}' does not match the '${hp.prefix}@' prefix.`);
    return null;
  }
  return { address, port };
}

export function parseBind(s: Stmt, draft: ProxyDraft): void {
  const spec = s.need(1, 'an address and a port, e.g. :80');
  if (spec === null) return;
  let ok = true;
  let name: string | null = null;
  let front: FrontKind = 'uws';
  for (let i = 2; i < s.args.length; i++) {
    const opt = s.args[i];
    if (opt === 'name' || opt === 'front') {
      const v = s.args[i + 1];
      i++;
      if (v === undefined) {
        s.alert(i - 1, `bind option '${opt}' expects an argument.`);
        ok = false;
      } else if (opt === 'name') name = v;
      else if ((FRONTS as readonly string[]).includes(v)) front = v as FrontKind;
      else {
        s.alert(i, `bind option 'front' expects 'uws' or 'node', got '${v}'.`);
        ok = false;
      }
    } else if (UNSUPPORTED_BIND_OPTIONS.has(opt)) {
      // The rest of the line are that option's arguments or more of the same: one alert is enough.
      s.alert(i, `bind option '${opt}' is not supported by sluice yet.`);
      ok = false;
      break;
    } else {
      s.alert(i, `unknown bind option '${opt}'${didYouMean(opt, ['name', 'front'])}`);
      ok = false;
    }
  }
  const binds: BindModel[] = [];
  for (const part of spec.split(',')) {
    const a = parseAddress(s, part);
    if (a === null) ok = false;
    else binds.push({ ...a, front, name, origin: s.origin });
  }
  if (ok) draft.binds.push(...binds);
}
