// The one place that loads uWebSockets.js. It is not published on npm under its own name; two
// republished builds cover the machines we run on:
//   @btc-vision/uwebsockets.js       v20.57  Node 20/22/24/25, needs glibc >= 2.38 (Debian trixie)
//   @trufflesuite/uws-js-unofficial  v20.30  Node <= 20 (ABI 115),  glibc >= 2.27 (Debian bookworm)
// The trufflesuite package silently falls back to a slow pure-JS implementation when its binary
// does not load, so we require its native binary directly and never accept the fallback.
import { dirname, join } from 'node:path';
import { DEFAULT_BUFSIZE } from '../../config/model';
import type { UwsModule } from './uws-types';

export interface LoadedUws {
  uws: UwsModule;
  /** npm package the binary came from */
  source: string;
  /** uWS version of that build */
  version: string;
}

let cached: LoadedUws | undefined;
let failure: Error | undefined;

function tryBtcVision(): LoadedUws {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const uws = require('@btc-vision/uwebsockets.js') as UwsModule;
  return { uws, source: '@btc-vision/uwebsockets.js', version: '20.57' };
}

function tryTrufflesuite(): LoadedUws {
  const pkgDir = dirname(require.resolve('@trufflesuite/uws-js-unofficial/package.json'));
  const binary = join(
    pkgDir,
    'binaries',
    `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const uws = require(binary) as UwsModule;
  return { uws, source: '@trufflesuite/uws-js-unofficial', version: '20.30' };
}

function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

/** The request-head cap for uWS when nothing else asks: twice the default tune.bufsize. */
const DEFAULT_HEAD_LIMIT = 2 * DEFAULT_BUFSIZE;

/**
 * Loads uWebSockets.js or throws an Error explaining what was tried and what to install.
 * `maxHeadBytes` only counts on the first load: uWS 20.57 reads its request-head cap from
 * UWS_HTTP_MAX_HEADERS_SIZE once, when its binary loads (4 KiB when unset, which would answer 431
 * to heads HAProxy takes); 20.30 has no such cap. A value the operator exported wins.
 */
export function loadUws(maxHeadBytes = DEFAULT_HEAD_LIMIT): LoadedUws {
  if (cached) return cached;
  if (failure) throw failure;
  process.env.UWS_HTTP_MAX_HEADERS_SIZE ??= String(maxHeadBytes);
  const tried: string[] = [];
  for (const attempt of [tryBtcVision, tryTrufflesuite]) {
    try {
      cached = attempt();
      return cached;
    } catch (err) {
      tried.push(
        `  ${attempt === tryBtcVision ? '@btc-vision/uwebsockets.js' : '@trufflesuite/uws-js-unofficial'}: ${reason(err)}`,
      );
    }
  }
  failure = new Error(
    'sluice: cannot load uWebSockets.js for Node ' +
      process.version +
      ` (ABI ${process.versions.modules}, ${process.platform}-${process.arch}).\n` +
      tried.join('\n') +
      '\nUse Node 20-25 on glibc >= 2.38 (@btc-vision/uwebsockets.js) or Node 20 on glibc >= 2.27 ' +
      '(@trufflesuite/uws-js-unofficial), or bind with "front node" to serve HTTP through node:http.',
  );
  throw failure;
}

/** True when a uWS build loads on this machine (tests use it to pick fronts). */
export function uwsAvailable(): boolean {
  try {
    loadUws();
    return true;
  } catch {
    return false;
  }
}
