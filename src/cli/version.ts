// `sluice -v`: the version line names the uWebSockets.js build in use, since which republished
// binary loads (if any) decides whether HTTP binds can use the fast front on this machine.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadUws } from '../http/fronts/uws-loader';

/** Reads our package.json at run time: its location relative to the compiled file varies by outDir. */
export function packageVersion(): string {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'sluice' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function uwsDescription(): { line: string; error: string | null } {
  try {
    const u = loadUws();
    return { line: `uWebSockets.js ${u.source} ${u.version}`, error: null };
  } catch (err) {
    return { line: 'uWebSockets.js unavailable', error: err instanceof Error ? err.message : String(err) };
  }
}

export function versionText(verbosity: number): string {
  const uws = uwsDescription();
  const lines = [`sluice version ${packageVersion()} (${uws.line}), Node ${process.version}`];
  if (verbosity >= 2) {
    lines.push(`Running on: ${process.platform}-${process.arch}, Node ABI ${process.versions.modules}`);
    lines.push(`OpenSSL ${process.versions.openssl}, libuv ${process.versions.uv}`);
    if (uws.error !== null) lines.push(uws.error);
  }
  return lines.join('\n') + '\n';
}
