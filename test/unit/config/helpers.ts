// Shared helpers for the config tests: compile a snippet and get either its model or its alerts.
import assert from 'node:assert/strict';
import { compileText, type Diagnostic, type Model } from '../../../src/config/index';

export const BASE = `
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
`;

export function compile(text: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof compileText> {
  return compileText(text, 't.cfg', env);
}

/** Compiles and requires success (warnings allowed). */
export function model(text: string, env: NodeJS.ProcessEnv = {}): Model {
  const r = compile(text, env);
  const alerts = r.diagnostics.filter((d) => d.severity === 'alert');
  assert.deepEqual(alerts, [], 'expected no alert');
  assert.ok(r.model !== null);
  return r.model;
}

export function alerts(text: string, env: NodeJS.ProcessEnv = {}): Diagnostic[] {
  const r = compile(text, env);
  const list = r.diagnostics.filter((d) => d.severity === 'alert');
  assert.ok(list.length > 0, 'expected at least one alert');
  assert.equal(r.model, null);
  return list;
}

/** The single alert of a snippet, checked for its line and a message fragment. */
export function oneAlert(
  text: string,
  line: number,
  fragment: string | RegExp,
  env: NodeJS.ProcessEnv = {},
): Diagnostic {
  const list = alerts(text, env);
  const hit = list.find((d) =>
    typeof fragment === 'string' ? d.message.includes(fragment) : fragment.test(d.message),
  );
  assert.ok(
    hit !== undefined,
    `no alert matching ${String(fragment)} in ${JSON.stringify(list.map((d) => d.message))}`,
  );
  assert.equal(hit.line, line, `line of: ${hit.message}`);
  assert.equal(hit.file, 't.cfg');
  return hit;
}

export function warnings(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  return compile(text, env)
    .diagnostics.filter((d) => d.severity === 'warning')
    .map((d) => d.message);
}

export function fe(m: Model, name: string): Model['frontends'][number] {
  const f = m.frontends.find((x) => x.name === name);
  assert.ok(f !== undefined, `frontend ${name}`);
  return f;
}

export function be(m: Model, name: string): Model['backends'][number] {
  const b = m.backends.find((x) => x.name === name);
  assert.ok(b !== undefined, `backend ${name}`);
  return b;
}
