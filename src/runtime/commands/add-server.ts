// `add server <b>/<s> <addr>[:<port>] [kw...]`: the keywords a dynamic server accepts, parsed into
// a ServerModel. As in HAProxy, default-server is not applied and `check` only starts once
// `enable health` is issued.
import { isIP } from 'node:net';
import type { BackendModel, ServerModel } from '../../config/model';
import { DEFAULT_FALL, DEFAULT_INTER_MS, DEFAULT_RISE, DEFAULT_WEIGHT, MAX_WEIGHT } from '../../config/model';
import type { ServerStatus } from '../../health/types';

const DYNAMIC_ALGOS = new Set(['roundrobin', 'leastconn', 'random', 'first']);

function int(v: string | undefined, min: number, max: number): number | null {
  if (v === undefined || !/^[0-9]+$/.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

function splitAddr(raw: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(raw) ?? /^([^:]+)(?::([0-9]+))?$/.exec(raw);
  if (m === null) return isIP(raw) === 6 ? { host: raw, port: 0 } : null;
  const host = m[1] as string;
  const port = m[2] === undefined ? 0 : Number(m[2]);
  if (isIP(host) === 0 || port > 65535) return null;
  return { host, port };
}

export function parseAddServer(
  name: string,
  args: readonly string[],
  be: BackendModel,
  existing: readonly ServerStatus[],
): ServerModel | string {
  if (!DYNAMIC_ALGOS.has(be.balance.algorithm))
    return `backend '${be.name}' uses a non dynamic load balancing method\n`;
  if (existing.some((s) => s.backend === be.name && s.server === name))
    return 'Already exists a server with the same name in backend.\n';
  const addr = args[0] === undefined ? null : splitAddr(args[0]);
  if (addr === null)
    return `'add server' : invalid address '${args[0] ?? ''}' (sluice needs a numeric address).\n`;
  const ids = existing.filter((s) => s.backend === be.name).map((s) => s.serverId);
  let id = Math.max(0, ...ids) + 1;
  let weight = DEFAULT_WEIGHT;
  let maxconn = 0;
  let maxqueue = 0;
  let backup = false;
  let disabled = false;
  let check = false;
  let inter = DEFAULT_INTER_MS;
  let rise = DEFAULT_RISE;
  let fall = DEFAULT_FALL;
  let checkPort: number | null = null;
  for (let i = 1; i < args.length; i++) {
    const kw = args[i] as string;
    const v = args[i + 1];
    const num = (min: number, max: number): number | string => {
      const n = int(v, min, max);
      i++;
      return n === null ? `'${kw}' expects an integer argument between ${min} and ${max}.\n` : n;
    };
    let r: number | string = 0;
    switch (kw) {
      case 'backup':
        backup = true;
        continue;
      case 'disabled':
        disabled = true;
        continue;
      case 'enabled':
        disabled = false;
        continue;
      case 'check':
        check = true;
        continue;
      case 'no-check':
        check = false;
        continue;
      case 'weight':
        r = num(0, MAX_WEIGHT);
        if (typeof r === 'number') weight = r;
        break;
      case 'maxconn':
        r = num(0, 2 ** 31 - 1);
        if (typeof r === 'number') maxconn = r;
        break;
      case 'maxqueue':
        r = num(0, 2 ** 31 - 1);
        if (typeof r === 'number') maxqueue = r;
        break;
      case 'id':
        r = num(1, 2 ** 31 - 1);
        if (typeof r === 'number') {
          if (ids.includes(r)) return `'id' : custom id ${r} already used.\n`;
          id = r;
        }
        break;
      case 'inter':
        r = num(1, 2 ** 31 - 1);
        if (typeof r === 'number') inter = r;
        break;
      case 'rise':
        r = num(1, 2 ** 31 - 1);
        if (typeof r === 'number') rise = r;
        break;
      case 'fall':
        r = num(1, 2 ** 31 - 1);
        if (typeof r === 'number') fall = r;
        break;
      case 'port':
        r = num(1, 65535);
        if (typeof r === 'number') checkPort = r;
        break;
      default:
        return `'${kw}' is not supported for dynamic servers by sluice (see 'add server help' in HAProxy).\n`;
    }
    if (typeof r === 'string') return r;
  }
  if (addr.port === 0) return `'add server' : missing port in '${args[0] ?? ''}'.\n`;
  return {
    name,
    id,
    host: addr.host,
    port: addr.port,
    weight,
    maxconn,
    maxqueue,
    backup,
    disabled,
    check: {
      enabled: check,
      inter,
      fastinter: inter,
      downinter: inter,
      rise,
      fall,
      port: checkPort,
      addr: null,
    },
    slowstart: null,
    origin: { file: 'stats socket', line: 0 },
  };
}
