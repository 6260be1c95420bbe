// `stats enable|uri|refresh|auth|realm|admin|hide-version`: what the Model says, and the alerts for
// what sluice does not implement (named, never ignored).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index';
import { DEFAULT_STATS_REALM, DEFAULT_STATS_URI } from '../../../src/config/model';

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

function messages(r: ReturnType<typeof loadConfig>): string {
  return r.diagnostics.map((d) => d.message).join('\n');
}

describe('stats page keywords', () => {
  it('stats enable alone gives HAProxy defaults', () => {
    const r = compile(`${HEAD}listen st\n  bind :8080\n  stats enable\n`);
    assert.ok(r.model !== null, messages(r));
    assert.deepEqual(r.model.frontends[0]?.stats, {
      uri: DEFAULT_STATS_URI,
      refreshMs: 0,
      realm: DEFAULT_STATS_REALM,
      users: [],
      admin: [],
      hideVersion: false,
    });
    assert.equal(DEFAULT_STATS_URI, '/haproxy?stats');
  });

  it('uri, refresh, auth (several), realm, hide-version and admin each enable the page', () => {
    const r = compile(
      `${HEAD}frontend fe\n  bind :8080\n  stats uri /st\n  stats refresh 10s\n  stats auth a:b:c\n` +
        `  stats auth u:p\n  stats realm Ops\n  stats hide-version\n  stats admin if LOCALHOST\n  default_backend be\n` +
        `backend be\n  server s 127.0.0.1:1\n`,
    );
    assert.ok(r.model !== null, messages(r));
    const st = r.model.frontends[0]?.stats;
    assert.equal(st?.uri, '/st');
    assert.equal(st?.refreshMs, 10_000);
    assert.deepEqual(st?.users, [
      { user: 'a', password: 'b:c' },
      { user: 'u', password: 'p' },
    ]);
    assert.equal(st?.realm, 'Ops');
    assert.equal(st?.hideVersion, true);
    assert.equal(st?.admin.length, 1);
    const only = compile(`${HEAD}listen st\n  bind :8080\n  stats refresh 5s\n`);
    assert.equal(only.model?.frontends[0]?.stats?.uri, DEFAULT_STATS_URI);
  });

  it('defaults sections pass the page on; no stats means no page', () => {
    const r = compile(
      `${HEAD}  stats uri /s\nlisten a\n  bind :8080\nfrontend b\n  bind :8081\n  default_backend a\n`,
    );
    assert.ok(r.model !== null, messages(r));
    assert.equal(r.model.frontends.find((f) => f.name === 'a')?.stats?.uri, '/s');
    const none = compile(`${HEAD}listen a\n  bind :8080\n`);
    assert.equal(none.model?.frontends[0]?.stats ?? null, null);
  });

  it('names the sub-keywords it does not implement, and unknown ones', () => {
    for (const sub of ['show-legends', 'scope .', 'show-node', 'http-request deny']) {
      const r = compile(`${HEAD}listen st\n  bind :8080\n  stats ${sub}\n`);
      assert.equal(r.model, null);
      assert.match(messages(r), new RegExp(`'stats ${sub.split(' ')[0]}' is not supported by sluice yet`));
    }
    const u = compile(`${HEAD}listen st\n  bind :8080\n  stats enabel\n`);
    assert.match(messages(u), /unknown stats parameter 'enabel'.*enable/);
  });

  it('rejects bad arguments, backend-only sections and admin in defaults', () => {
    const cases: [string, RegExp][] = [
      ['listen st\n  bind :8080\n  stats uri stats\n', /starting with '\/'/],
      ['listen st\n  bind :8080\n  stats auth nopassword\n', /'<user>:<password>'/],
      ['listen st\n  bind :8080\n  stats refresh soon\n', /stats refresh/],
      ["listen st\n  bind :8080\n  stats realm 'a\"b'\n", /stats realm/],
      ['listen st\n  bind :8080\n  stats admin TRUE\n', /requires either 'if' or 'unless'/],
      ['backend be\n  stats enable\n', /only supported in defaults, frontend and listen/],
    ];
    for (const [text, re] of cases) {
      const r = compile(HEAD + text);
      assert.equal(r.model, null, text);
      assert.match(messages(r), re);
    }
    const d = compile(`${HEAD}  stats admin if TRUE\nlisten st\n  bind :8080\n`);
    assert.match(messages(d), /'stats admin' not allowed in 'defaults' section/);
  });

  it('warns and drops the page in a tcp frontend', () => {
    const r = compile(`${HEAD}listen st\n  mode tcp\n  bind :8080\n  stats enable\n  server s 127.0.0.1:1\n`);
    assert.ok(r.model !== null, messages(r));
    assert.equal(r.model.frontends[0]?.stats, null);
    assert.match(messages(r), /'stats' statements ignored for proxy 'st' as they require HTTP mode/);
  });
});
