// The HTML stats page: served by the workers with every worker's counters, every proxy and server
// on it with HAProxy's state classes (following `set server` on the socket), ;csv and ;json, Basic
// auth, and admin actions only where `stats admin` allows them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';
import { request } from '../../helpers/http-harness';
import { page, rowClass, startStatsFixture } from './fixture';
import type { StatsFixture } from './fixture';

const send = hasTool('socat') ? socat : netExchange;

describe('stats page', () => {
  let fx: StatsFixture;
  let port: number;
  before(async () => {
    fx = await startStatsFixture(4);
    port = fx.sluice.port('stats');
  });
  after(async () => {
    await fx?.close();
  });

  it('asks for Basic credentials with the realm, and takes only the right ones', async () => {
    const none = await page(port, '/stats', { auth: null });
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Basic realm="HAProxy Statistics"');
    const wrong = await page(port, '/stats', {
      auth: `Basic ${Buffer.from('admin:nope').toString('base64')}`,
    });
    assert.equal(wrong.status, 401);
    const junk = await page(port, '/stats', { auth: 'Basic !!!' });
    assert.equal(junk.status, 401);
    const ok = await page(port, '/stats');
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['content-type']), /^text\/html/);
  });

  it('shows every proxy and server with its state class, summed over the workers', async () => {
    for (let i = 0; i < 12; i++) assert.equal((await request(fx.sluice.port('fe'))).status, 200);
    const { text } = await page(port, '/stats');
    for (const px of ['fe', 'stats', 'ro', 'be'])
      assert.match(text, new RegExp(`<a class="px" href="#${px}">${px}</a>`));
    assert.equal(rowClass(text, 'be', 's1'), 'active_no_check');
    assert.equal(rowClass(text, 'be', 's2'), 'maintain');
    assert.equal(rowClass(text, 'be', 's3'), 'backup_no_check');
    // the frontend row of fe: 12 requests in total, whichever worker took them
    assert.match(
      text,
      /<tr class="frontend"><td class="ac">Frontend<\/td>(?:<td>[^<]*<\/td>){6}<td>12<\/td>/,
    );
    assert.match(text, /<meta http-equiv="refresh" content="5">/);
    assert.match(text, /<h1>sluice version /);
    assert.doesNotMatch((await page(port, '/stats;norefresh')).text, /http-equiv="refresh"/);
  });

  it('follows set server state on the socket', async () => {
    assert.equal(await send(fx.sock, 'set server be/s1 state maint'), '\n');
    assert.equal(rowClass((await page(port, '/stats')).text, 'be', 's1'), 'maintain');
    assert.equal(await send(fx.sock, 'set server be/s1 state drain'), '\n');
    assert.equal(rowClass((await page(port, '/stats')).text, 'be', 's1'), 'active_draining');
    assert.equal(await send(fx.sock, 'set server be/s1 state ready'), '\n');
    const text = (await page(port, '/stats;up')).text;
    assert.equal(rowClass(text, 'be', 's1'), 'active_no_check');
    assert.equal(rowClass(text, 'be', 's2'), null, ';up hides servers in maintenance');
  });

  it(';csv prints show stat, ;json show stat json', async () => {
    const csv = await page(port, '/stats;csv');
    assert.equal(csv.status, 200);
    const sock = await send(fx.sock, 'show stat');
    const lines = csv.text.trimEnd().split('\n');
    assert.equal(lines[0], sock.split('\n')[0]);
    const ids = (t: string): string[] =>
      t
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(0, 2).join(','));
    assert.deepEqual(ids(csv.text), ids(sock.trimEnd()));
    assert.match(csv.text, /^be,s2,(?:[^,]*,){15}MAINT,/m);
    const json = await page(port, '/stats;json');
    assert.match(String(json.headers['content-type']), /^application\/json/);
    const rows = JSON.parse(json.text) as { field: { name: string }; value: { value: unknown } }[][];
    const names = rows.map((r) => r.filter((f) => f.field.name === 'svname').map((f) => f.value.value)[0]);
    for (const s of ['FRONTEND', 's1', 's2', 's3', 'BACKEND']) assert.ok(names.includes(s), s);
  });

  it('applies admin actions where stats admin allows them, refuses them elsewhere', async () => {
    const post = await page(port, '/stats', { method: 'POST', body: 'action=maint&b=be&s=s3' });
    assert.equal(post.status, 303);
    assert.equal(post.headers.location, '/stats;st=DONE');
    assert.match(await send(fx.sock, 'show stat be 4 -1'), /^be,s3,(?:[^,]*,){15}MAINT,/m);
    const shown = await page(port, '/stats;st=DONE');
    assert.match(shown.text, /Action processed successfully/);
    assert.equal(rowClass(shown.text, 'be', 's3'), 'maintain');
    assert.match(shown.text, /<input type="checkbox" name="s" value="s3">/);
    // by backend id too, several servers at once
    const both = await page(port, '/stats', { method: 'POST', body: 'action=ready&b=%234&s=s3&s=s2' });
    assert.equal(both.headers.location, '/stats;st=DONE');
    assert.match(await send(fx.sock, 'show stat be 4 -1'), /^be,s2,(?:[^,]*,){15}no check,/m);
    const bad = await page(port, '/stats', { method: 'POST', body: 'action=explode&b=be&s=s3' });
    assert.equal(bad.headers.location, '/stats;st=ERRP');
    const big = await page(port, '/stats', {
      method: 'POST',
      body: `action=maint&b=be&s=${'x'.repeat(20_000)}`,
    });
    assert.equal(big.headers.location, '/stats;st=EXCD');
    // the read-only page: the condition does not match 127.0.0.1
    const ro = fx.sluice.port('ro');
    const denied = await page(ro, '/ro', { method: 'POST', body: 'action=maint&b=be&s=s1', auth: null });
    assert.equal(denied.status, 303);
    assert.equal(denied.headers.location, '/ro;st=DENY');
    assert.match(await send(fx.sock, 'show stat be 4 -1'), /^be,s1,(?:[^,]*,){15}no check,/m);
    const roPage = await page(ro, '/ro', { auth: null });
    assert.equal(roPage.status, 200);
    assert.doesNotMatch(roPage.text, /type="checkbox"/);
    assert.doesNotMatch(roPage.text, /http-equiv="refresh"/);
    assert.match(roPage.text, /<h1>sluice<\/h1>/, 'stats hide-version');
  });
});
