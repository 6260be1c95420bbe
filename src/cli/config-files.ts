// `-f <dir>` loads the directory's files as haproxy does: only non-hidden regular files ending in
// ".cfg", in byte-wise lexical order (LC_COLLATE=C), as if each had been given with its own -f.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // A missing file is the config loader's to report, with its usual diagnostic.
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function expandConfigPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!isDirectory(p)) {
      out.push(p);
      continue;
    }
    const names = readdirSync(p)
      .filter((n) => !n.startsWith('.') && n.endsWith('.cfg'))
      .sort(byteOrder);
    for (const n of names) {
      const full = join(p, n);
      if (isFile(full)) out.push(full);
    }
  }
  return out;
}
