// Server commands: set server, set/get weight, enable/disable server|health|agent, add/del server,
// shutdown sessions server. The server state store decides and broadcasts to every worker; its
// error texts are HAProxy's and are printed as they come.
import { isIP } from 'node:net';
import type { ServerStateStore } from '../../health/types';
import type { CommandCall, CommandRegistry } from '../registry';
import { parseAddServer } from './add-server';

const REQUIRE = "Require 'backend/server'.\n";

function split(arg: string | undefined): [string, string] | null {
  if (arg === undefined) return null;
  const i = arg.indexOf('/');
  if (i <= 0 || i === arg.length - 1) return null;
  return [arg.slice(0, i), arg.slice(i + 1)];
}

type Target = { store: ServerStateStore; backend: string; server: string };

/** resolves `<backend>/<server>` (ids as `#<n>` too) or returns HAProxy's error text */
function target(call: CommandCall, arg: string | undefined): Target | string {
  const store = call.rt.store();
  if (store === null) return 'The server state store is not available yet.\n';
  const bs = split(arg);
  if (bs === null) return REQUIRE;
  const [beArg, server] = bs;
  const be = call.rt.model.backends.find((b) => b.name === beArg || `#${b.id}` === beArg);
  const all = store.list();
  const backend = be?.name ?? all.find((s) => s.backend === beArg)?.backend;
  if (backend === undefined) return 'No such backend.\n';
  const srv = all.find((s) => s.backend === backend && (s.server === server || `#${s.serverId}` === server));
  if (srv === undefined) return 'No such server.\n';
  return { store, backend, server: srv.server };
}

const reply = (err: string | null, ok = ''): string =>
  err === null ? ok : err.endsWith('\n') ? err : err + '\n';

/** `<w>` or `<w>%` of the initial weight, as HAProxy's server_parse_weight_change_request */
function weightChange(t: Target, raw: string | undefined, algo: string): number | string {
  if (raw === undefined || raw === '') return 'Require <weight> or <weight%>.\n';
  const cur = t.store.find(t.backend, t.server);
  const pct = raw.endsWith('%');
  const n = Number(pct ? raw.slice(0, -1) : raw);
  if (!/^[0-9]+%?$/.test(raw) || !Number.isFinite(n)) return 'Require <weight> or <weight%>.\n';
  let w = n;
  if (pct) {
    if (n < 0) return 'Relative weight must be positive.\n';
    w = Math.round(((cur?.initialWeight ?? 1) * n) / 100);
    if (w > 256) w = 256;
  } else if (n < 0 || n > 256) return 'Absolute weight can only be between 0 and 256 inclusive.\n';
  const stat = algo === 'static-rr' || algo === 'first';
  if (stat && w !== 0 && w !== (cur?.initialWeight ?? w))
    return "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n";
  return w;
}

function algoOf(call: CommandCall, backend: string): string {
  return call.rt.model.backends.find((b) => b.name === backend)?.balance.algorithm ?? 'roundrobin';
}

function setWeight(call: CommandCall, arg: string | undefined, raw: string | undefined): string {
  const t = target(call, arg);
  if (typeof t === 'string') return t;
  const w = weightChange(t, raw, algoOf(call, t.backend));
  if (typeof w === 'string') return w;
  return reply(t.store.setWeight(t.backend, t.server, w));
}

function setAddr(t: Target, args: readonly string[]): string {
  const ip = args[0];
  if (ip === undefined || isIP(ip) === 0)
    return 'set server <b>/<s> addr requires an address and optionally a port.\n';
  let port: number | null = null;
  if (args[1] === 'port') {
    const p = Number(args[2]);
    if (!Number.isInteger(p) || p < 1 || p > 65535) return 'Invalid port.\n';
    port = p;
  } else if (args[1] !== undefined)
    return 'set server <b>/<s> addr requires an address and optionally a port.\n';
  const before = t.store.find(t.backend, t.server);
  const err = t.store.setAddr(t.backend, t.server, ip, port);
  if (err !== null) return reply(err);
  if (before === undefined) return '';
  const parts: string[] = [];
  if (before.host !== ip) parts.push(`IP changed from '${before.host}' to '${ip}'`);
  if (port !== null && before.port !== port) parts.push(`port changed from '${before.port}' to '${port}'`);
  if (parts.length === 0) return 'no need to change the addr and port.\n';
  return `${parts.join(', ')} by 'stats socket command'\n`;
}

function setServer(call: CommandCall): string {
  const t = target(call, call.args[0]);
  if (typeof t === 'string') return t;
  const what = call.args[1];
  const v = call.args[2];
  switch (what) {
    case 'state':
      if (v === 'ready') return reply(t.store.setAdmin(t.backend, t.server, 'READY'));
      if (v === 'drain') return reply(t.store.setAdmin(t.backend, t.server, 'DRAIN'));
      if (v === 'maint') return reply(t.store.setAdmin(t.backend, t.server, 'MAINT'));
      return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
    case 'weight':
      return setWeight(call, call.args[0], v);
    case 'addr':
      return setAddr(t, call.args.slice(2));
    case 'health':
    case 'agent':
      if (v === 'up' || v === 'down' || v === 'stopping' || (what === 'agent' && v === 'down'))
        return `'set server <srv> ${what} ${v}' is not supported by sluice yet.\n`;
      return what === 'health'
        ? "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n"
        : "'set server <srv> agent' expects 'up' or 'down'.\n";
    default:
      return "'set server <srv>' only supports 'agent', 'health', 'state', 'weight', 'addr', 'fqdn', 'check-addr', 'check-port', 'agent-addr', 'agent-port', 'agent-send' and 'ssl'.\n";
  }
}

type Toggle = 'server' | 'health' | 'agent';

function toggle(call: CommandCall, what: Toggle, enable: boolean): string {
  const t = target(call, call.args[0]);
  if (typeof t === 'string') return t;
  if (what === 'server') return reply(t.store.setAdmin(t.backend, t.server, enable ? 'READY' : 'MAINT'));
  if (what === 'health') return reply(t.store.setHealthEnabled(t.backend, t.server, enable));
  return reply(t.store.setAgentEnabled(t.backend, t.server, enable));
}

export function registerServerCommands(r: CommandRegistry): void {
  r.register({
    words: ['set', 'server'],
    usage: "set server <bk>/<srv> [opts] : change a server's state, weight or address",
    level: 'admin',
    run: setServer,
  });
  r.register({
    words: ['set', 'weight'],
    usage: "set weight <bk>/<srv> (<w>|<w>%) : change a server's weight",
    level: 'admin',
    run: (call) => setWeight(call, call.args[0], call.args[1]),
  });
  r.register({
    words: ['get', 'weight'],
    usage: "get weight <bk>/<srv> : report a server's current weight",
    level: 'user',
    run: (call) => {
      const t = target(call, call.args[0]);
      if (typeof t === 'string') return t;
      const s = t.store.find(t.backend, t.server);
      return s === undefined ? 'No such server.\n' : `${s.weight} (initial ${s.initialWeight})\n`;
    },
  });
  for (const what of ['server', 'health', 'agent'] as const) {
    for (const enable of [true, false]) {
      const verb = enable ? 'enable' : 'disable';
      const does =
        what === 'server'
          ? enable
            ? "enable a disabled server (use 'set server' instead)"
            : "disable a server for maintenance (use 'set server' instead)"
          : `${verb} ${what} checks`;
      r.register({
        words: [verb, what],
        usage: `${verb} ${what} <bk>/<srv> : ${does}`,
        level: 'admin',
        run: (call) => toggle(call, what, enable),
      });
    }
  }
  r.register({
    words: ['add', 'server'],
    usage: 'add server <bk>/<srv> <addr>[:<port>] [opts] : create a new server',
    level: 'admin',
    run: (call) => {
      const store = call.rt.store();
      if (store === null) return 'The server state store is not available yet.\n';
      const bs = split(call.args[0]);
      if (bs === null) return REQUIRE;
      const be = call.rt.model.backends.find((b) => b.name === bs[0]);
      if (be === undefined) return 'No such backend.\n';
      const parsed = parseAddServer(bs[1], call.args.slice(1), be, store.list());
      if (typeof parsed === 'string') return parsed;
      return reply(store.addServer(be.name, parsed), 'New server registered.\n');
    },
  });
  r.register({
    words: ['del', 'server'],
    usage: 'del server <bk>/<srv> : remove a dynamically added server',
    level: 'admin',
    run: (call) => {
      const t = target(call, call.args[0]);
      if (typeof t === 'string') return t;
      return reply(t.store.delServer(t.backend, t.server), 'Server deleted.\n');
    },
  });
  r.register({
    words: ['shutdown', 'sessions', 'server'],
    usage: 'shutdown sessions server <bk>/<srv> : kill sessions on a server',
    level: 'admin',
    run: (call) => {
      const t = target(call, call.args[0]);
      if (typeof t === 'string') return t;
      call.rt.hub.runtimeOp({ kind: 'shutdown-sessions', backend: t.backend, server: t.server });
      return '';
    },
  });
}
