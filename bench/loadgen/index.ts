// Picks and runs a load generator.
import { join } from 'node:path';
import type { ToolName } from '../options';
import { hasCommand, spawnPinned } from '../util/child';
import type { LoadResult, LoadSpec } from './types';
import { runWrk } from './wrk';

export type { LoadResult, LoadSpec } from './types';

export function wrkInstalled(): boolean {
  return hasCommand('wrk');
}

/** The tool asked for, else wrk when installed, else autocannon. */
export function chooseTool(asked: ToolName | null): ToolName {
  if (asked !== null) return asked;
  return wrkInstalled() ? 'wrk' : 'autocannon';
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const proc = spawnPinned(
    process.execPath,
    [join(__dirname, 'autocannon-child.js'), JSON.stringify(spec)],
    spec.cpus,
  );
  const code = await proc.done;
  const line = proc.stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`autocannon failed (exit ${String(code)}): ${proc.stderr.trim()}`);
  return JSON.parse(line) as LoadResult;
}

export function runLoad(tool: ToolName, spec: LoadSpec): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}
