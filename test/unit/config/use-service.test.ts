import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/index';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function compile(text: string): ReturnType<typeof loadConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-cfg-'));
  const file = join(dir, 't.cfg');
  writeFileSync(file, text);
  try {
    return loadConfig([file], {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAD = 'defaults\n  mode http\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n';

describe('http-request use-service', () => {
  it('compiles prometheus-exporter with its condition into the frontend', () => {
    const r = compile(
      `${HEAD}frontend fe\n  bind :8080\n  http-request use-service prometheus-exporter if { path /metrics }\n  http-request deny\n`,
    );
    assert.ok(r.model !== null, JSON.stringify(r.diagnostics));
    const fe = r.model.frontends[0];
    assert.equal(fe?.services?.length, 1);
    assert.equal(fe?.services?.[0]?.service, 'prometheus-exporter');
    assert.equal(fe?.services?.[0]?.cond?.kind, 'if');
    assert.equal(fe?.httpRequest.length, 1);
  });

  it('alerts on an unknown service and on a backend section', () => {
    const a = compile(`${HEAD}frontend fe\n  bind :8080\n  http-request use-service lua.foo\n`);
    assert.equal(a.model, null);
    assert.ok(a.diagnostics.some((d) => d.message.includes("unknown service 'lua.foo'")));
    const b = compile(
      `${HEAD}backend be\n  http-request use-service prometheus-exporter\n  server s 127.0.0.1:1\n`,
    );
    assert.equal(b.model, null);
    assert.ok(b.diagnostics.some((d) => d.message.includes('only supported in frontend and listen')));
  });
});
