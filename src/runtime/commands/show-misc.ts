// show backend, show env, show errors, show sess, show pools: small read-only commands.
import type { CommandRegistry } from '../registry';

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function registerShowMisc(r: CommandRegistry): void {
  r.register({
    words: ['show', 'backend'],
    usage: 'show backend : list backends in the current running config',
    level: 'user',
    run: ({ rt }) => '# name\n' + rt.model.backends.map((b) => `${b.name}\n`).join(''),
  });
  r.register({
    words: ['show', 'env'],
    usage: 'show env [var] : dump environment variables known to the process',
    level: 'operator',
    run: ({ args }) => {
      const name = args[0];
      if (name !== undefined) {
        const v = process.env[name];
        return v === undefined ? 'Variable not found\n' : `${name}=${v}\n`;
      }
      return Object.entries(process.env)
        .map(([k, v]) => `${k}=${v ?? ''}\n`)
        .join('');
    },
  });
  r.register({
    words: ['show', 'errors'],
    usage:
      'show errors [<px>] [request|response] : report last request and/or response errors for each proxy',
    level: 'operator',
    run: async ({ args, rt }) => {
      const px = args[0];
      const all = (await rt.stats()).frontends;
      // sluice counts invalid requests (ereq) but keeps no capture of their bytes
      let n = 0;
      for (const [name, c] of all)
        if (px === undefined || px === name || px === 'request' || px === 'response') n += c.ereq;
      return `Total events captured on [${new Date().toISOString()}] : ${n}\n`;
    },
  });
  r.register({
    words: ['show', 'sess'],
    usage: 'show sess : report the number of active sessions per worker, backend and server',
    level: 'operator',
    run: async ({ rt }) => {
      const st = await rt.stats();
      let out = `# ${st.currConns} active sessions on ${st.workers.length} workers\n`;
      for (const w of st.workers) out += `worker ${w.slot} pid=${w.pid} sessions=${w.currConns}\n`;
      for (const [name, c] of st.backends)
        if (c.scur > 0 || c.qcur > 0) out += `backend ${name} scur=${c.scur} qcur=${c.qcur}\n`;
      for (const [name, c] of st.servers) if (c.scur > 0) out += `server ${name} scur=${c.scur}\n`;
      return out;
    },
  });
  r.register({
    words: ['show', 'pools'],
    usage: 'show pools : report memory per process (heap, RSS): the Node.js counterpart of pools',
    level: 'user',
    run: async ({ rt }) => {
      const st = await rt.stats();
      const self = process.memoryUsage();
      let out = 'Dumping memory per process (Node.js heap instead of HAProxy pools):\n';
      const line = (
        who: string,
        m: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number },
      ): string =>
        `  - ${who}: rss=${m.rss} (${mb(m.rss)}) heap_total=${m.heapTotal} heap_used=${m.heapUsed} external=${m.external} array_buffers=${m.arrayBuffers}\n`;
      out += line(`primary pid=${rt.pid}`, self);
      let total = self.rss;
      for (const w of st.workers) {
        out += line(`worker ${w.slot} pid=${w.pid}`, w.memory);
        total += w.memory.rss;
      }
      return out + `Total: ${st.workers.length + 1} processes, ${total} bytes RSS (${mb(total)}).\n`;
    },
  });
  r.register({
    words: ['clear', 'counters'],
    usage: 'clear counters [all] : clear max statistics counters (or all counters)',
    level: 'operator',
    levelFor: (args) => (args[0] === 'all' ? 'admin' : 'operator'),
    run: ({ args, rt }) => {
      if (args.length > 0 && args[0] !== 'all') return "'clear counters' only supports 'all'.\n";
      rt.hub.clear(args[0] === 'all');
      return '';
    },
  });
}
