// set maxconn server|frontend|global: applied in every worker through the hub (which replays it
// to respawned workers), and remembered for `show stat` / `show info`.
import type { CommandRegistry } from '../registry';

function value(raw: string | undefined): number | null {
  if (raw === undefined || !/^[0-9]+$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 2 ** 31 - 1 ? n : null;
}

export function registerMaxconn(r: CommandRegistry): void {
  r.register({
    words: ['set', 'maxconn', 'server'],
    usage: "set maxconn server <bk>/<srv> <n> : change a server's maxconn setting",
    level: 'admin',
    run: ({ args, rt }) => {
      const bs = args[0]?.split('/');
      if (bs === undefined || bs.length !== 2) return "Require 'backend/server'.\n";
      const [b, s] = bs as [string, string];
      const be = rt.model.backends.find((x) => x.name === b);
      if (be === undefined) return 'No such backend.\n';
      if (!rt.servers().some((x) => x.backend === b && x.server === s)) return 'No such server.\n';
      const n = value(args[1]);
      if (n === null) return 'Integer value expected.\n';
      rt.limits.servers.set(`${b}/${s}`, n);
      rt.hub.runtimeOp({ kind: 'maxconn-server', backend: b, server: s, value: n });
      return '';
    },
  });
  r.register({
    words: ['set', 'maxconn', 'frontend'],
    usage: "set maxconn frontend <frontend> <value> : change a frontend's maxconn setting",
    level: 'admin',
    run: ({ args, rt }) => {
      const name = args[0];
      if (name === undefined) return 'A frontend name is expected.\n';
      if (!rt.model.frontends.some((f) => f.name === name)) return 'No such frontend.\n';
      const n = value(args[1]);
      if (n === null) return 'Integer value expected.\n';
      rt.limits.frontends.set(name, n);
      rt.hub.runtimeOp({ kind: 'maxconn-frontend', frontend: name, value: n });
      return '';
    },
  });
  r.register({
    words: ['set', 'maxconn', 'global'],
    usage: 'set maxconn global <value> : change the per-process maxconn setting',
    level: 'admin',
    run: ({ args, rt }) => {
      const n = value(args[0]);
      if (n === null) return 'Expects an integer value.\n';
      if (n === 0 || n > rt.model.global.maxconn) return 'Value out of range.\n';
      rt.limits.globalMaxconn = n;
      rt.hub.runtimeOp({ kind: 'maxconn-global', value: n });
      return '';
    },
  });
}
