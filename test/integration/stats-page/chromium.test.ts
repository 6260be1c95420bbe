// The stats page in a real browser: headless Chromium renders it (a PNG of the requested size
// with real content) and its DOM holds every proxy and server with the state classes the socket
// set. Skipped, saying so, where Chromium is not installed (.ci/run installs it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasTool, netExchange, socat } from '../../helpers/stats-socket';
import { startStatsFixture } from './fixture';
import type { StatsFixture } from './fixture';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);
const send = hasTool('socat') ? socat : netExchange;
const WIDTH = 1280;
const HEIGHT = 900;

/** headless Chromium with a fresh profile each time, bounded in time */
async function chromium(dir: string, args: readonly string[], url: string): Promise<string> {
  const profile = mkdtempSync(join(dir, 'profile-'));
  const { stdout } = await run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      ...args,
      url,
    ],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** width and height from a PNG's IHDR chunk, after checking the signature */
function pngSize(buf: Buffer): { width: number; height: number } {
  assert.ok(
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    'PNG signature',
  );
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe(
  'stats page in Chromium',
  { skip: existsSync(CHROMIUM) ? false : `chromium not installed (${CHROMIUM})` },
  () => {
    let fx: StatsFixture;
    let dir: string;
    let url: string;
    before(async () => {
      fx = await startStatsFixture(2);
      dir = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
      url = `http://admin:s3cret@127.0.0.1:${fx.sluice.port('stats')}/stats;norefresh`;
      assert.equal(await send(fx.sock, 'set server be/s1 state drain'), '\n');
    });
    after(async () => {
      await fx?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it('renders a PNG of the requested size with content', async () => {
      const file = join(dir, 'stats.png');
      await chromium(dir, [`--screenshot=${file}`, `--window-size=${WIDTH},${HEIGHT}`], url);
      assert.ok(existsSync(file), 'no screenshot written');
      const png = readFileSync(file);
      assert.deepEqual(pngSize(png), { width: WIDTH, height: HEIGHT });
      // a blank or error page compresses to a few kB of few distinct bytes; tables and text do not
      assert.ok(png.length > 20_000, `screenshot only ${png.length} bytes`);
      assert.ok(new Set(png).size > 200, 'screenshot looks blank');
    });

    it('has every proxy and server with its state class in the DOM', async () => {
      const dom = await chromium(dir, ['--dump-dom'], url);
      for (const px of ['fe', 'stats', 'ro', 'be'])
        assert.match(dom, new RegExp(`<a class="px" href="#${px}">${px}</a>`));
      assert.match(
        dom,
        /<tr class="active_draining"><td class="ac"><input[^>]*value="s1"[^>]*>\s*<a name="be\/s1">/,
      );
      assert.match(
        dom,
        /<tr class="maintain"><td class="ac"><input[^>]*value="s2"[^>]*>\s*<a name="be\/s2">/,
      );
      assert.match(
        dom,
        /<tr class="backup_no_check"><td class="ac"><input[^>]*value="s3"[^>]*>\s*<a name="be\/s3">/,
      );
      assert.match(dom, /<select name="action">/);
    });
  },
);
