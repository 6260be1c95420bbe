// help / prompt / quit. `prompt` and `quit` act on the connection and are run by the session; they
// are registered so that `help` lists them like every other command.
import type { CommandRegistry } from '../registry';

export function registerHelp(r: CommandRegistry): void {
  r.register({
    words: ['help'],
    usage: 'help [<command>] : list matching or all commands',
    level: 'user',
    run: ({ args, level, rt }) => {
      const full = rt.registry.help(level);
      if (args.length === 0) return full;
      const prefix = args.join(' ');
      const lines = full.split('\n').filter((l, i) => i === 0 || l.trim().startsWith(prefix));
      return lines.join('\n') + '\n';
    },
  });
  r.register({
    words: ['prompt'],
    usage: 'prompt [n|i|p] : toggle interactive mode with prompt',
    level: 'user',
    run: () => '',
  });
  r.register({ words: ['quit'], usage: 'quit : disconnect', level: 'user', run: () => '' });
}
