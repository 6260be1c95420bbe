// Every built-in runtime API command, registered into one registry.
import type { CommandRegistry } from '../registry';
import { registerHelp } from './help';
import { registerMaxconn } from './maxconn';
import { registerServerCommands } from './server';
import { registerServersState } from './show-servers-state';
import { registerShowInfo } from './show-info';
import { registerShowMisc } from './show-misc';
import { registerShowStat } from './show-stat';

export function registerBuiltins(r: CommandRegistry): void {
  registerHelp(r);
  registerShowInfo(r);
  registerShowStat(r);
  registerServersState(r);
  registerShowMisc(r);
  registerServerCommands(r);
  registerMaxconn(r);
}
