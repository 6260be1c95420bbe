// `server <name> <addr>:<port> [options]` and `default-server [options]`. A server takes the
// options of the last default-server line before it (which itself starts from the defaults
// section's), then its own.
import { isIP } from 'node:net';
import { didYouMean } from '../diagnostics';
import { UNSUPPORTED_SERVER_OPTIONS } from '../keywords';
import {
  DEFAULT_FALL,
  DEFAULT_INTER_MS,
  DEFAULT_RISE,
  DEFAULT_WEIGHT,
  MAX_WEIGHT,
  type InitAddrMethod,
} from '../model';
import { parseIntArg, parsePort, parseTime, splitHostPort } from '../units';
import type { ProxyDraft, ServerDefaults } from './draft';
import { invalidNameChar } from '../parser';
import type { Stmt } from './stmt';
import { HEALTH_OPTIONS, healthServerFields, parseHealthOption } from './server-health';

const FLAGS = [
  'backup',
  'no-backup',
  'disabled',
  'enabled',
  'check',
  'no-check',
  'agent-check',
  'no-agent-check',
];
const VALUED = [
  'weight',
  'maxconn',
  'maxqueue',
  'inter',
  'fastinter',
  'downinter',
  'rise',
  'fall',
  'port',
  'addr',
  'slowstart',
  'id',
  'init-addr',
  ...HEALTH_OPTIONS,
];
const MAX_INT = 2 ** 31 - 1;

/** Applies options s.args[from..] onto `o`. Returns false if any was invalid. */
function parseOptions(
  s: Stmt,
  from: number,
  o: ServerDefaults,
  ids: { id: number | null },
  isDefault: boolean,
): boolean {
  let ok = true;
  for (let i = from; i < s.args.length; i++) {
    const opt = s.args[i];
    switch (opt) {
      case 'backup':
      case 'no-backup':
        o.backup = opt === 'backup';
        continue;
      case 'disabled':
      case 'enabled':
        o.disabled = opt === 'disabled';
        continue;
      case 'check':
      case 'no-check':
        o.check = opt === 'check';
        continue;
      case 'agent-check':
      case 'no-agent-check':
        o.agentCheck = opt === 'agent-check';
        continue;
    }
    if (!VALUED.includes(opt)) {
      if (
        UNSUPPORTED_SERVER_OPTIONS.has(opt) ||
        (opt.startsWith('no-') && UNSUPPORTED_SERVER_OPTIONS.has(opt.slice(3)))
      ) {
        // Its arguments would read as unknown options: one alert for the rest of the line.
        s.alert(i, `server option '${opt}' is not supported by sluice yet.`);
        return false;
      }
      s.alert(i, `unknown server option '${opt}'${didYouMean(opt, [...FLAGS, ...VALUED])}`);
      ok = false;
      continue;
    }
    const v = s.args[i + 1];
    i++;
    if (v === undefined) {
      s.alert(i - 1, `'${opt}' expects an argument.`);
      ok = false;
      continue;
    }
    let n: number | null = null;
    if (HEALTH_OPTIONS.includes(opt)) {
      if (!parseHealthOption(s, i, opt, v, o)) ok = false;
      continue;
    }
    switch (opt) {
      case 'weight':
        n = s.value(i, opt, parseIntArg(v, 0, MAX_WEIGHT));
        if (n !== null) o.weight = n;
        break;
      case 'maxconn':
      case 'maxqueue':
        n = s.value(i, opt, parseIntArg(v, 0, MAX_INT));
        if (n !== null) o[opt] = n;
        break;
      case 'rise':
      case 'fall':
        n = s.value(i, opt, parseIntArg(v, 1, MAX_INT));
        if (n !== null) o[opt] = n;
        break;
      case 'inter':
      case 'fastinter':
      case 'downinter':
      case 'slowstart':
        n = s.value(i, opt, parseTime(v));
        if (n === 0 && opt !== 'slowstart') {
          s.alert(i, `'${opt}' must be greater than 0.`);
          n = null;
        }
        if (n !== null) o[opt] = n;
        break;
      case 'port':
        n = s.value(i, opt, parsePort(v));
        if (n !== null) o.port = n;
        break;
      case 'addr':
        if (isIP(v) === 0) s.alert(i, `'addr' expects an IPv4 or IPv6 address, got '${v}'.`);
        else o.addr = v;
        n = isIP(v) === 0 ? null : 0;
        break;
      case 'init-addr': {
        const methods = parseInitAddr(v);
        if (typeof methods === 'string') s.alert(i, methods);
        else o.initAddr = methods;
        n = typeof methods === 'string' ? null : 0;
        break;
      }
      case 'id':
        if (isDefault) {
          s.alert(i - 1, `'id' cannot be set on 'default-server'.`);
          n = null;
        } else {
          n = s.value(i, opt, parseIntArg(v, 1, MAX_INT));
          if (n !== null) ids.id = n;
        }
        break;
    }
    if (n === null) ok = false;
  }
  return ok;
}

/** `init-addr last,libc,none,<ip>`: the methods in order, or the alert text */
function parseInitAddr(v: string): InitAddrMethod[] | string {
  const out: InitAddrMethod[] = [];
  for (const m of v.split(',')) {
    if (m === 'last' || m === 'libc' || m === 'none') out.push(m);
    else if (isIP(m) !== 0) out.push(`ip:${m}`);
    else return `'init-addr' : unknown method '${m}' (expects last, libc, none or an IP address).`;
  }
  return out;
}

export function parseDefaultServer(s: Stmt, draft: ProxyDraft): void {
  const o: ServerDefaults = { ...draft.defaultServer };
  if (parseOptions(s, 1, o, { id: null }, true)) draft.defaultServer = o;
}

export function parseServer(s: Stmt, draft: ProxyDraft): void {
  const name = s.need(1, 'a server name and an address');
  const addr = name === null ? null : s.need(2, 'a server name and an address');
  if (name === null || addr === null) return;
  let ok = true;
  const bad = invalidNameChar(name);
  if (bad !== null) {
    s.alert(1, `character '${bad}' is not permitted in server name '${name}'.`);
    ok = false;
  }
  const dup = draft.servers.find((x) => x.model.name === name);
  if (dup !== undefined) {
    s.alert(
      1,
      `${draft.kind} '${draft.name}' has the same server name '${name}' declared at ${dup.pos.file}:${dup.pos.line}.`,
    );
    ok = false;
  }
  const hp = splitHostPort(addr);
  let port: number | null = null;
  if (addr.startsWith('/') || (hp.prefix !== null && hp.prefix !== 'ipv4' && hp.prefix !== 'ipv6')) {
    s.alert(2, `server address '${addr}' : only IPv4, IPv6 and host names are supported by sluice yet.`);
    ok = false;
  } else if (hp.port === null || hp.port === '') {
    s.alert(2, `server '${name}' : missing port in address '${addr}' (expects <addr>:<port>).`);
    ok = false;
  } else if (/^[+-]/.test(hp.port)) {
    s.alert(2, `server '${name}' : relative port '${hp.port}' is not supported by sluice yet.`);
    ok = false;
  } else {
    port = s.value(2, 'server', parsePort(hp.port));
    if (port === null) ok = false;
  }
  if (
    hp.host === '' ||
    (isIP(hp.host) === 0 && !/^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(hp.host))
  ) {
    if (ok) s.alert(2, `server '${name}' : invalid address '${hp.host}' in '${addr}'.`);
    ok = false;
  }
  const o: ServerDefaults = { ...draft.defaultServer };
  const ids = { id: null as number | null };
  if (!parseOptions(s, 3, o, ids, false)) ok = false;
  if (ids.id !== null) {
    const clash = draft.servers.find((x) => x.explicitId && x.model.id === ids.id);
    if (clash !== undefined) {
      s.alert(1, `server '${name}' : id ${ids.id} already used by server '${clash.model.name}'.`);
      ok = false;
    }
  }
  if (!ok || port === null) return;
  const inter = o.inter ?? DEFAULT_INTER_MS;
  draft.servers.push({
    explicitId: ids.id !== null,
    pos: s.pos(0),
    model: {
      name,
      id: ids.id ?? 0,
      host: hp.host,
      port,
      weight: o.weight ?? DEFAULT_WEIGHT,
      maxconn: o.maxconn ?? 0,
      maxqueue: o.maxqueue ?? 0,
      backup: o.backup ?? false,
      disabled: o.disabled ?? false,
      check: {
        enabled: o.check ?? false,
        inter,
        fastinter: o.fastinter ?? inter,
        downinter: o.downinter ?? inter,
        rise: o.rise ?? DEFAULT_RISE,
        fall: o.fall ?? DEFAULT_FALL,
        port: o.port ?? null,
        addr: o.addr ?? null,
      },
      slowstart: o.slowstart ?? null,
      origin: s.origin,
      // absent = DEFAULT_INIT_ADDR
      ...(o.initAddr !== undefined ? { initAddr: o.initAddr } : {}),
      ...healthServerFields(o, inter, port),
    },
  });
}

/** HAProxy gives servers without an `id` the lowest ids not taken, in declaration order. */
export function assignServerIds(draft: ProxyDraft): void {
  const used = new Set(draft.servers.filter((x) => x.explicitId).map((x) => x.model.id));
  let next = 1;
  for (const srv of draft.servers) {
    if (srv.explicitId) continue;
    while (used.has(next)) next++;
    srv.model.id = next;
    used.add(next);
  }
}
