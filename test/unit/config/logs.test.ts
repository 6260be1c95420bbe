import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, compile, model, oneAlert } from './helpers';
import { HTTPLOG_FORMAT, TCPLOG_FORMAT } from '../../../src/config/model';

const BE = `backend b\n    server s1 127.0.0.1:8080\n`;
const TCP_BE = `backend t\n    mode tcp\n    server s1 127.0.0.1:8080\n`;

describe('access-log keywords', () => {
  test('a frontend with no format option logs JSON (logFormat null), dontlognull off', () => {
    const m = model(
      `${BASE}frontend f\n    bind :80\n    log stdout format raw local0\n    default_backend b\n${BE}`,
    );
    const fe = m.frontends[0];
    assert.equal(fe.logFormat, null);
    assert.equal(fe.dontLogNull, false);
    assert.equal(fe.logs[0].format, 'raw');
  });

  test('option httplog / tcplog set HAProxy’s formats; dontlognull is inherited from defaults', () => {
    const m = model(
      `${BASE}    option dontlognull\n    option httplog\nfrontend f\n    bind :80\n    default_backend b\n` +
        `frontend g\n    mode tcp\n    bind :81\n    option tcplog\n    default_backend t\n${BE}${TCP_BE}`,
    );
    assert.equal(m.frontends[0].logFormat, HTTPLOG_FORMAT);
    assert.equal(m.frontends[0].dontLogNull, true);
    assert.equal(m.frontends[1].logFormat, TCPLOG_FORMAT);
  });

  test('the last of log-format / option httplog wins; no option httplog clears it', () => {
    const a = model(
      `${BASE}frontend f\n    bind :80\n    option httplog\n    log-format "%ci %ST"\n    default_backend b\n${BE}`,
    );
    assert.equal(a.frontends[0].logFormat, '%ci %ST');
    const b = model(
      `${BASE}frontend f\n    bind :80\n    log-format "%ci %ST"\n    option httplog\n    default_backend b\n${BE}`,
    );
    assert.equal(b.frontends[0].logFormat, HTTPLOG_FORMAT);
    const c = model(
      `${BASE}    option httplog\nfrontend f\n    bind :80\n    no option httplog\n    no option dontlognull\n    default_backend b\n${BE}`,
    );
    assert.equal(c.frontends[0].logFormat, null);
    assert.equal(c.frontends[0].dontLogNull, false);
  });

  test('option httplog in a TCP frontend falls back to tcplog with HAProxy’s warning', () => {
    const r = compile(
      `${BASE}frontend g\n    mode tcp\n    bind :81\n    option httplog\n    default_backend t\n${TCP_BE}`,
    );
    assert.ok(r.model !== null);
    assert.equal(r.model.frontends[0].logFormat, TCPLOG_FORMAT);
    assert.ok(
      r.diagnostics.some(
        (d) => d.severity === 'warning' && /Falling back to 'option tcplog'/.test(d.message),
      ),
    );
  });

  test('invalid log-format strings and option httplog clf are alerts with the line', () => {
    const pre = `${BASE}frontend f\n    bind :80\n    default_backend b\n`;
    oneAlert(`${pre}    log-format "%ci %XYZ"\n${BE}`, 10, "unsupported log-format variable '%XYZ'");
    oneAlert(`${pre}    log-format "%[nosuch()]"\n${BE}`, 10, 'unsupported sample fetch');
    oneAlert(`${pre}    option httplog clf\n${BE}`, 10, "'option httplog clf' is not supported");
    oneAlert(`${pre}    log-format\n${BE}`, 10, 'log-format string');
  });

  test('log-format and option httplog are frontend keywords: in a backend they are refused or ignored', () => {
    oneAlert(`${BASE}${BE}    log-format "%ci"\n`, 9, "'log-format' not allowed in 'backend' section");
    const r = compile(`${BASE}${BE}    option httplog\n`);
    assert.ok(r.diagnostics.some((d) => /'option httplog' ignored because backend 'b'/.test(d.message)));
  });

  test('log targets in global no longer warn', () => {
    const r = compile(
      `global\n    log udp@127.0.0.1:5514 format rfc5424 local3 info\n${BASE}frontend f\n    bind :80\n    log global\n    default_backend b\n${BE}`,
    );
    assert.deepEqual(
      r.diagnostics.filter((d) => /log/.test(d.message)),
      [],
    );
    const t = r.model?.frontends[0].logs[0];
    assert.equal(t?.kind, 'udp');
    assert.equal(t?.port, 5514);
    assert.equal(t?.format, 'rfc5424');
  });
});
