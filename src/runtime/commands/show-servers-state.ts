// show servers state [<backend>]: HAProxy's format version 1 (the server-state-file format, shared
// with the file the primary writes on stop).
import { formatServersState } from '../../health';
import type { CommandRegistry } from '../registry';

export function registerServersState(r: CommandRegistry): void {
  r.register({
    words: ['show', 'servers', 'state'],
    usage: 'show servers state [<backend>] : dump volatile server information (all or for a single backend)',
    level: 'user',
    run: ({ args, rt }) => {
      const name = args[0];
      if (name !== undefined && !rt.model.backends.some((b) => b.name === name))
        return "Can't find backend.\n";
      const servers = rt.servers().filter((s) => name === undefined || s.backend === name);
      return formatServersState(servers, Date.now());
    },
  });
}
