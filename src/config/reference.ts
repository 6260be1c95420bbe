// Renders the keyword tables of keywords.ts as the Markdown reference in docs/config-keywords.md,
// so the documentation is derived from the same tables the compiler uses (a test keeps the file
// current: regenerate it with `npm run docs`).
import type { Caps } from './keywords';
import {
  GLOBAL_KEYWORDS,
  OPTION_KEYWORDS,
  PROXY_KEYWORDS,
  SLUICE_GLOBAL_KEYWORDS,
  SLUICE_PROXY_KEYWORDS,
  TIMEOUT_KEYWORDS,
  UNSUPPORTED_BIND_OPTIONS,
  UNSUPPORTED_GLOBAL_KEYWORDS,
  UNSUPPORTED_HTTP_REQUEST_ACTIONS,
  UNSUPPORTED_OPTIONS,
  UNSUPPORTED_PROXY_KEYWORDS,
  UNSUPPORTED_SERVER_OPTIONS,
} from './keywords';

function mark(v: boolean): string {
  return v ? 'X' : '–';
}

function matrix(title: string, prefix: string, table: Readonly<Record<string, Caps>>): string[] {
  const out = [
    `### ${title}`,
    '',
    '| keyword | defaults | frontend | listen | backend |',
    '|---|---|---|---|---|',
  ];
  for (const name of Object.keys(table).sort()) {
    if (name === 'no') continue;
    const c = table[name] as Caps;
    const d = c.namedDefaultsOnly ? 'X (named only)' : mark(c.d);
    const own = prefix === '' && SLUICE_PROXY_KEYWORDS.has(name) ? ' (sluice extension)' : '';
    out.push(`| \`${prefix}${name}\`${own} | ${d} | ${mark(c.f)} | ${mark(c.f || c.b)} | ${mark(c.b)} |`);
  }
  out.push('');
  return out;
}

function list(
  title: string,
  names: Iterable<string>,
  fmt: (n: string) => string = (n) => `\`${n}\``,
): string[] {
  const sorted = [...new Set(names)].sort();
  return [`### ${title}`, '', sorted.map(fmt).join(', '), ''];
}

export function configKeywordsMarkdown(): string {
  const lines: string[] = [
    '# Configuration keywords',
    '',
    '<!-- Generated from src/config/keywords.ts by `npm run docs`; do not edit by hand. -->',
    '',
    "Where each supported proxy keyword may appear (HAProxy's matrix), the supported global keywords",
    "(sluice's own extensions marked), and every HAProxy keyword sluice recognises but does not",
    'implement yet. Using one of those is an error that names it: sluice never ignores a keyword',
    'silently. Semantics are described in [configuration.md](configuration.md).',
    '',
    '## Supported',
    '',
    ...matrix('Proxy keywords', '', PROXY_KEYWORDS),
    ...matrix('Options', 'option ', OPTION_KEYWORDS),
    ...matrix('Timeouts', 'timeout ', TIMEOUT_KEYWORDS),
    ...list('Global keywords', GLOBAL_KEYWORDS, (n) =>
      SLUICE_GLOBAL_KEYWORDS.has(n) ? `\`${n}\` (sluice extension)` : `\`${n}\``,
    ),
    '## Recognised but not supported yet',
    '',
    '### Proxy keywords',
    '',
    '| keyword | area |',
    '|---|---|',
    ...Object.keys(UNSUPPORTED_PROXY_KEYWORDS)
      .sort()
      .map((k) => `| \`${k}\` | ${UNSUPPORTED_PROXY_KEYWORDS[k] as string} |`),
    '',
    ...list('Options', UNSUPPORTED_OPTIONS, (n) => `\`option ${n}\``),
    ...list('Global keywords', UNSUPPORTED_GLOBAL_KEYWORDS),
    ...list('Bind options', UNSUPPORTED_BIND_OPTIONS),
    ...list('Server options', UNSUPPORTED_SERVER_OPTIONS),
    ...list('http-request actions', UNSUPPORTED_HTTP_REQUEST_ACTIONS),
  ];
  return lines.join('\n');
}
