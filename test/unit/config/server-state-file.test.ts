import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, model, oneAlert } from './helpers';

describe('server state file keywords', () => {
  test('server-state-file is resolved against server-state-base, whatever the line order', () => {
    const g = model('global\n    server-state-file state\n    server-state-base /var/lib/sluice/\n').global;
    assert.equal(g.serverStateFile, '/var/lib/sluice/state');
    assert.equal(g.serverStateBase, '/var/lib/sluice/');
    const abs = model('global\n    server-state-base /x\n    server-state-file /abs/state\n').global;
    assert.equal(abs.serverStateFile, '/abs/state');
    const rel = model('global\n    server-state-base /x\n    server-state-file rel\n').global;
    assert.equal(rel.serverStateFile, '/x/rel');
  });

  test('absent keywords leave the model as before', () => {
    const m = model(`${BASE}backend be\n    server s1 127.0.0.1:8080\n`);
    assert.equal(m.global.serverStateFile, undefined);
    assert.equal('loadServerState' in (m.backends[0] ?? {}), false);
  });

  test('load-server-state-from-file and server-state-file-name, inherited from defaults', () => {
    const m = model(`${BASE}    load-server-state-from-file global
backend a
    server s1 127.0.0.1:8080
backend b
    load-server-state-from-file local
    server-state-file-name b.state
    server s1 127.0.0.1:8080
backend c
    load-server-state-from-file local
    server-state-file-name use-backend-name
    server s1 127.0.0.1:8080
backend d
    load-server-state-from-file none
    server-state-file-name
    server s1 127.0.0.1:8080
`);
    const [a, b, c, d] = m.backends;
    assert.equal(a?.loadServerState, 'global');
    assert.equal(b?.loadServerState, 'local');
    assert.equal(b?.serverStateFileName, 'b.state');
    assert.equal(c?.serverStateFileName, null);
    assert.equal(d?.loadServerState, 'none');
    assert.equal(d?.serverStateFileName, null);
  });

  test('errors name the keyword and the line', () => {
    oneAlert(
      `${BASE}backend be\n    load-server-state-from-file maybe\n`,
      8,
      /expects 'global', 'local' or 'none'. Got 'maybe'/,
    );
    oneAlert(
      `${BASE}backend be\n    load-server-state-from-file\n`,
      8,
      /expects 'global', 'local' or 'none'/,
    );
    oneAlert(`${BASE}backend be\n    server-state-file-name a b\n`, 8, /unexpected argument 'b'/);
    oneAlert(`${BASE}frontend fe\n    load-server-state-from-file global\n`, 8, /not allowed in 'frontend'/);
    oneAlert('global\n    server-state-file\n', 2, /expects a file name/);
    oneAlert('global\n    server-state-base /a /b\n', 2, /unexpected argument '\/b'/);
  });
});
