// show info [typed|json]: process-wide figures with HAProxy's field names where they apply,
// summed over workers, then sluice's own fields at the end.
import { availableParallelism } from 'node:os';
import type { AggregateStats } from '../../stats';
import type { CommandRegistry } from '../registry';
import type { RuntimeServices } from '../services';

type Info = [string, string | number][];

function uptime(sec: number): string {
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return `${d}d ${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
}

export function infoFields(rt: RuntimeServices, stats: AggregateStats): Info {
  const now = Date.now();
  const up = Math.floor((now - rt.startedAt) / 1000);
  let rss = process.memoryUsage().rss;
  let heapTotal = 0;
  let heapUsed = 0;
  for (const w of stats.workers) {
    rss += w.memory.rss;
    heapTotal += w.memory.heapTotal;
    heapUsed += w.memory.heapUsed;
  }
  let listeners = 0;
  for (const fe of rt.model.frontends) listeners += fe.binds.length;
  const mb = (n: number): number => Math.floor(n / (1024 * 1024));
  return [
    ['Name', 'sluice'],
    ['Version', rt.version],
    ['Release_date', ''],
    ['Nbthread', stats.workers.length],
    ['Nbproc', 1],
    ['Process_num', 1],
    ['Pid', rt.pid],
    ['Uptime', uptime(up)],
    ['Uptime_sec', up],
    ['Start_time_sec', Math.floor(rt.startedAt / 1000)],
    ['Memmax_MB', 0],
    ['Memmax_bytes', 0],
    ['PoolAlloc_MB', mb(heapTotal)],
    ['PoolAlloc_bytes', heapTotal],
    ['PoolUsed_MB', mb(heapUsed)],
    ['PoolUsed_bytes', heapUsed],
    ['PoolFailed', 0],
    ['Maxconn', rt.limits.globalMaxconn],
    ['Hard_maxconn', rt.model.global.maxconn],
    ['CurrConns', stats.currConns],
    ['CumConns', stats.cumReq],
    ['CumReq', stats.cumReq],
    ['Stopping', 0],
    ['Jobs', stats.currConns],
    ['Listeners', listeners],
    ['node', ''],
    ['description', ''],
    ['Workers', stats.workers.length],
    ['Worker_pids', stats.workers.map((w) => w.pid).join(' ')],
    ['Cpus', availableParallelism()],
    ['Rss_bytes', rss],
    ['Heap_used_bytes', heapUsed],
  ];
}

export function registerShowInfo(r: CommandRegistry): void {
  r.register({
    words: ['show', 'info'],
    usage: 'show info [json|typed] : report information about the running process',
    level: 'user',
    run: async ({ args, rt }) => {
      const format = args[0];
      if (format !== undefined && format !== 'json' && format !== 'typed' && format !== 'desc')
        return 'show info: unknown format; expects json or typed.\n';
      const fields = infoFields(rt, await rt.stats());
      if (format === 'json') {
        const out = fields.map(([name, v], pos) => ({
          field: { pos, name },
          processNum: 1,
          tags: { origin: 'Output', nature: 'Output', scope: 'Process' },
          value: typeof v === 'number' ? { type: 'u64', value: v } : { type: 'str', value: v },
        }));
        return JSON.stringify(out, null, 2) + '\n';
      }
      if (format === 'typed') {
        return fields
          .map(([n, v], pos) => `${pos}.${n}.1:POS:${typeof v === 'number' ? 'u64' : 'str'}:${v}`)
          .join('\n')
          .concat('\n');
      }
      return fields.map(([n, v]) => `${n}: ${v}`).join('\n') + '\n';
    },
  });
}
