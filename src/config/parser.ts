// Groups statements into sections. A section keyword opens a section that lasts until the next
// one; every file starts outside any section, so several files each begin on a section boundary.
import type { SectionKind, SectionNode, Statement } from './ast';
import { didYouMean } from './diagnostics';
import type { Diagnostics, Pos } from './diagnostics';

const SECTIONS: readonly SectionKind[] = ['global', 'defaults', 'frontend', 'backend', 'listen'];

/** HAProxy sections sluice does not implement: reported once, their bodies skipped. */
export const UNSUPPORTED_SECTIONS: readonly string[] = [
  'resolvers',
  'peers',
  'userlist',
  'cache',
  'http-errors',
  'ring',
  'mailers',
  'log-forward',
  'program',
  'crt-store',
  'traces',
  'acme',
  'fcgi-app',
  'dynamic-update',
];

/** HAProxy's invalid_char(): names are letters, digits, '-', '_', '.' and ':'. */
export function invalidNameChar(name: string): string | null {
  const m = /[^A-Za-z0-9_.:-]/.exec(name);
  return m === null ? null : m[0];
}

function wordPos(st: Statement, i: number): Pos {
  const w = st.words[i] ?? st.words[st.words.length - 1];
  return { file: st.file, line: st.line, col: w?.col ?? 1 };
}

function checkName(kind: string, name: string, st: Statement, diags: Diagnostics): boolean {
  const bad = invalidNameChar(name);
  if (bad === null && name !== '') return true;
  diags.alert(
    wordPos(st, 1),
    name === ''
      ? `'${kind}' expects an <id> as an argument.`
      : `character '${bad}' is not permitted in '${kind}' name '${name}'.`,
  );
  return false;
}

function parseHeader(kind: SectionKind, st: Statement, diags: Diagnostics): SectionNode {
  const args = st.words.slice(1).map((w) => w.text);
  let name: string | null = null;
  let from: string | null = null;
  let i = 0;
  if (kind === 'global') {
    if (args.length > 0) diags.alert(wordPos(st, 1), "'global' section takes no argument.");
    return { kind, name, from, header: st, body: [] };
  }
  if (kind !== 'defaults' || (args.length > 0 && args[0] !== 'from')) {
    if (args.length === 0) {
      diags.alert(wordPos(st, 0), `'${kind}' expects an <id> as an argument.`);
    } else if (checkName(kind, args[0], st, diags)) {
      name = args[0];
    }
    i = 1;
  }
  if (args[i] === 'from') {
    const ref = args[i + 1];
    if (ref === undefined || ref === '') {
      diags.alert(wordPos(st, i + 1), `'from' expects a defaults section name in '${kind}' section.`);
    } else from = ref;
    i += 2;
  }
  if (i < args.length) {
    diags.alert(
      wordPos(st, i + 1),
      `unexpected argument '${args[i]}' after '${kind}' name; only '${kind} <name> [from <defaults>]' is supported (declare addresses with 'bind').`,
    );
  }
  return { kind, name, from, header: st, body: [] };
}

/** Appends the sections of one file to `sections`. */
export function parseSections(
  statements: readonly Statement[],
  sections: SectionNode[],
  diags: Diagnostics,
): void {
  let current: SectionNode | null = null;
  let skipping = false;
  for (const st of statements) {
    const kw = st.words[0].text;
    if ((SECTIONS as readonly string[]).includes(kw)) {
      current = parseHeader(kw as SectionKind, st, diags);
      sections.push(current);
      skipping = false;
      continue;
    }
    if (UNSUPPORTED_SECTIONS.includes(kw)) {
      diags.alert(wordPos(st, 0), `'${kw}' section is not supported by sluice yet.`);
      current = null;
      skipping = true;
      continue;
    }
    if (skipping) continue;
    if (current === null) {
      diags.alert(
        wordPos(st, 0),
        `unknown keyword '${kw}' out of section.${didYouMean(kw, [...SECTIONS, ...UNSUPPORTED_SECTIONS]).replace(/^;/, '')}`,
      );
      continue;
    }
    current.body.push(st);
  }
}
