// The runtime API's command table. Subsystems register their commands here (as HAProxy's
// cli_register_kw does); the dispatcher finds the longest registered word prefix, checks the
// connection's level, and runs the command. A command never throws at the client: its failure
// becomes a reply.
import type { StatsLevel } from '../config/model';
import type { RuntimeServices } from './services';

export type Level = StatsLevel;

const RANK: Readonly<Record<Level, number>> = { user: 0, operator: 1, admin: 2 };

export function levelAllows(have: Level, need: Level): boolean {
  return RANK[have] >= RANK[need];
}

export interface CommandCall {
  /** every word of the command, including the keyword words */
  readonly words: readonly string[];
  /** the words after the keyword words */
  readonly args: readonly string[];
  readonly level: Level;
  readonly rt: RuntimeServices;
}

export interface CommandDef {
  /** keyword words, e.g. ['show', 'stat'] */
  readonly words: readonly string[];
  /** the `help` line: "show stat [json|typed] [<px> <type> <sid>] : report counters ..." */
  readonly usage: string;
  readonly level: Level;
  /** some commands need a higher level only for some arguments (`clear counters all`) */
  readonly levelFor?: (args: readonly string[]) => Level;
  /** the reply text; lines end with '\n', no empty line (the session adds the terminating one) */
  run(call: CommandCall): string | Promise<string>;
}

export const PERMISSION_DENIED = 'Permission denied\n';

export class CommandRegistry {
  private readonly defs: CommandDef[] = [];

  register(def: CommandDef): void {
    this.defs.push(def);
    // longest keyword first, so 'show servers state' wins over a hypothetical 'show servers'
    this.defs.sort((a, b) => b.words.length - a.words.length);
  }

  find(words: readonly string[]): CommandDef | undefined {
    return this.defs.find((d) => d.words.every((w, i) => words[i] === w));
  }

  /** usage lines of what `level` may run, sorted, as HAProxy lists them */
  help(level: Level): string {
    const lines = this.defs
      .filter((d) => levelAllows(level, d.level))
      .map((d) => d.usage)
      .sort();
    const width = Math.max(...lines.map((l) => l.indexOf(' : ')));
    const pretty = lines.map((l) => {
      const i = l.indexOf(' : ');
      return i < 0 ? `  ${l}` : `  ${l.slice(0, i).padEnd(width)} : ${l.slice(i + 3)}`;
    });
    return `The following commands are valid at this level:\n${pretty.join('\n')}\n`;
  }

  async run(words: readonly string[], level: Level, rt: RuntimeServices): Promise<string> {
    const def = this.find(words);
    if (def === undefined) {
      return `Unknown command: '${words.join(' ')}'\n\n${this.help(level)}`;
    }
    const args = words.slice(def.words.length);
    const need = def.levelFor?.(args) ?? def.level;
    if (!levelAllows(level, need)) return PERMISSION_DENIED;
    try {
      return await def.run({ words, args, level, rt });
    } catch (err) {
      rt.log.error({ err, command: words.join(' ') }, 'runtime API command failed');
      return `Internal error: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }
}
