// Reading configuration files: `-f file` and `-f dir/` as in HAProxy. A directory contributes its
// `*.cfg` files in C-locale (byte) order; each file is lexed on its own, so each starts outside any
// section and any `.if` block.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SectionNode } from './ast';
import { Diagnostics } from './diagnostics';
import type { CompileResult } from './model';
import { compileAst } from './compile/index';
import { parseSections } from './parser';
import { readStatements } from './source';

export interface Source {
  readonly file: string;
  readonly text: string;
}

export function compileSources(
  sources: readonly Source[],
  env: NodeJS.ProcessEnv,
  diags: Diagnostics,
): CompileResult {
  const sections: SectionNode[] = [];
  for (const src of sources) parseSections(readStatements(src.text, src.file, env, diags), sections, diags);
  return compileAst({ files: sources.map((s) => s.file), sections }, diags);
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function errnoText(e: unknown): string {
  const code = e instanceof Error && 'code' in e ? e.code : null;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return e instanceof Error ? e.message : String(e);
}

function expand(path: string, diags: Diagnostics): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .filter((n) => n.endsWith('.cfg'))
      .sort(byteOrder)
      .map((n) => join(path, n))
      .filter((f) => statSync(f).isFile());
  } catch (e) {
    diags.alert(
      { file: path, line: 0, col: 0 },
      `Cannot open configuration file/directory ${path} : ${errnoText(e)}`,
    );
    return [];
  }
}

export function loadConfig(paths: string[], env: NodeJS.ProcessEnv = process.env): CompileResult {
  const diags = new Diagnostics();
  const sources: Source[] = [];
  if (paths.length === 0) diags.alert({ file: '', line: 0, col: 0 }, 'No configuration file specified.');
  for (const p of paths) {
    for (const file of expand(p, diags)) {
      try {
        sources.push({ file, text: readFileSync(file, 'utf8') });
      } catch (e) {
        diags.alert({ file, line: 0, col: 0 }, `Cannot open configuration file ${file} : ${errnoText(e)}`);
      }
    }
  }
  return compileSources(sources, env, diags);
}

export function compileText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): CompileResult {
  return compileSources([{ file, text }], env, new Diagnostics());
}
