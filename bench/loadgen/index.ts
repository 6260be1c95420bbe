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

/** Runs a Node load generator (`<name>-child.js`) in its own pinned process. */
async function runNodeChild(name: 'autocannon' | 'paced', spec: LoadSpec): Promise<LoadResult> {
  const proc = spawnPinned(
    process.execPath,
    [join(__dirname, `${name}-child.js`), JSON.stringify(spec)],
    spec.cpus,
  );
  const code = await proc.done;
  const line = proc.stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`${name} failed (exit ${String(code)}): ${proc.stderr.trim()}`);
  return JSON.parse(line) as LoadResult;
}

/** The tool a scenario is measured with: a paced scenario always uses the fixed-rate client. */
export function toolFor(tool: ToolName, spec: Pick<LoadSpec, 'rate'>): ToolName {
  return spec.rate !== null ? 'paced' : tool;
}

export function runLoad(tool: ToolName, spec: LoadSpec): Promise<LoadResult> {
  const t = toolFor(tool, spec);
  return t === 'wrk' ? runWrk(spec) : runNodeChild(t, spec);
}
