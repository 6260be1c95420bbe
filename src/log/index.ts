// Event logs: pino JSON lines on stdout. Access logs (per-request lines to `log` targets) are
// written by AccessLogs (./access), not through pino: they have their own formats and framing.
import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

let root: Logger | undefined;

export function rootLogger(): Logger {
  if (!root) {
    root = pino({
      base: { pid: process.pid },
      level: process.env.SLUICE_LOG_LEVEL ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    });
  }
  return root;
}

export function logger(component: string): Logger {
  return rootLogger().child({ component });
}

export { AccessLogs } from './access';
