// show stat [typed|json] [<proxy>|<iid> <type> <sid>]: HAProxy's CSV, summed over workers.
import {
  buildRows,
  csvHeader,
  csvLine,
  jsonRows,
  typedLines,
  TYPE_BACKEND,
  TYPE_FRONTEND,
} from '../../stats';
import type { StatRow } from '../../stats';
import type { CommandRegistry } from '../registry';
import type { RuntimeServices } from '../services';
import { frontendMaxconn, serverMaxconn } from '../services';

export async function statRows(rt: RuntimeServices): Promise<StatRow[]> {
  return buildRows({
    model: rt.model,
    stats: await rt.stats(),
    servers: rt.servers(),
    frontendMaxconn: (name) => frontendMaxconn(rt, name),
    serverMaxconn: (b, s, c) => serverMaxconn(rt, b, s, c),
    now: Date.now(),
  });
}

interface Filter {
  readonly proxy: string | null;
  readonly iid: number | null;
  /** bitmask: 1 frontends, 2 backends, 4 servers */
  readonly types: number;
  /** -1 = all */
  readonly sid: number;
}

const FORMATS = new Set(['typed', 'json', 'desc', 'up', 'no-maint']);

function parseFilter(words: readonly string[]): Filter | string {
  if (words.length === 0) return { proxy: null, iid: null, types: 7, sid: -1 };
  if (words.length !== 3) return "Require 'proxy' or 'iid', 'type' and 'sid'.\n";
  const [px, t, sid] = words as [string, string, string];
  const types = Number(t);
  const s = Number(sid);
  if (!Number.isInteger(types) || !Number.isInteger(s))
    return "Require 'proxy' or 'iid', 'type' and 'sid'.\n";
  const iid = /^[0-9]+$/.test(px) ? Number(px) : null;
  return {
    proxy: px === '-1' ? null : iid === null ? px : null,
    iid: px === '-1' ? null : iid,
    types: types < 0 ? 7 : types,
    sid: s,
  };
}

function keep(row: StatRow, f: Filter, up: boolean, noMaint: boolean): boolean {
  if (f.proxy !== null && row.pxname !== f.proxy) return false;
  if (f.iid !== null && row.iid !== f.iid) return false;
  const bit = row.type === TYPE_FRONTEND ? 1 : row.type === TYPE_BACKEND ? 2 : 4;
  if ((f.types & bit) === 0) return false;
  if (bit === 4 && f.sid >= 0 && row.sid !== f.sid) return false;
  if (
    bit === 4 &&
    up &&
    typeof row.status === 'string' &&
    !row.status.startsWith('UP') &&
    row.status !== 'no check'
  )
    return false;
  if (bit === 4 && noMaint && row.status === 'MAINT') return false;
  return true;
}

export function registerShowStat(r: CommandRegistry): void {
  r.register({
    words: ['show', 'stat'],
    usage:
      'show stat [json|typed] [up|no-maint] [<px> <type> <sid>] : report counters for each proxy and server',
    level: 'user',
    run: async ({ args, rt }) => {
      const opts = args.filter((a) => FORMATS.has(a));
      const filter = parseFilter(args.filter((a) => !FORMATS.has(a)));
      if (typeof filter === 'string') return filter;
      const px = filter.proxy;
      if (
        px !== null &&
        !rt.model.frontends.some((f) => f.name === px) &&
        !rt.model.backends.some((b) => b.name === px)
      )
        return 'No such proxy.\n';
      const rows = (await statRows(rt)).filter((row) =>
        keep(row, filter, opts.includes('up'), opts.includes('no-maint')),
      );
      if (opts.includes('json')) return JSON.stringify(jsonRows(rows), null, 2) + '\n';
      if (opts.includes('typed')) return rows.map(typedLines).join('');
      return csvHeader() + rows.map(csvLine).join('');
    },
  });
}
