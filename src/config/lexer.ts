// HAProxy's line lexer (parse_line in src/tools.c): one statement per line, words split on
// unescaped blanks, `#` starts a comment outside quotes, backslash escapes outside single quotes,
// double quotes protect blanks and still expand environment variables, single quotes protect
// everything. Quoted pieces glue to their neighbours: `a"b c"d` is the single word `ab cd`.

export interface Word {
  readonly text: string;
  /** 1-based column of the first character of the word in the source line */
  readonly col: number;
}

export interface LexError {
  readonly col: number;
  readonly message: string;
}

export interface LexedLine {
  readonly words: Word[];
  readonly errors: LexError[];
}

export interface LexContext {
  readonly env: NodeJS.ProcessEnv;
  readonly file: string;
  readonly line: number;
}

const HEX = /^[0-9a-fA-F]{2}$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  ' ': ' ',
  '\t': '\t',
  '\\': '\\',
  '#': '#',
  $: '$',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

function pseudoVar(name: string, ctx: LexContext): string | undefined {
  if (name === '.FILE') return ctx.file;
  if (name === '.LINE') return String(ctx.line);
  return undefined;
}

/**
 * Expands `$NAME`, `${NAME}` or `${NAME-default}` starting at `src[i] === '$'`.
 * Returns the replacement and the index just past the reference. An unset variable expands to
 * nothing, as in HAProxy; the default applies only when unset, not when empty.
 */
function expandVar(
  src: string,
  i: number,
  ctx: LexContext,
  errors: LexError[],
): { value: string; next: number } | null {
  if (src[i + 1] === '{') {
    const close = src.indexOf('}', i + 2);
    if (close < 0) {
      errors.push({ col: i + 1, message: "missing '}' at end of environment variable reference" });
      return { value: '', next: src.length };
    }
    const body = src.slice(i + 2, close);
    const dash = body.indexOf('-');
    const name = dash < 0 ? body : body.slice(0, dash);
    if (name.endsWith('[*]')) {
      errors.push({ col: i + 1, message: `'\${${name}}' word splitting is not supported by sluice yet` });
      return { value: '', next: close + 1 };
    }
    if (!/^(\.?[A-Za-z_][A-Za-z0-9_]*)$/.test(name)) {
      errors.push({ col: i + 1, message: `invalid environment variable name '${name}'` });
      return { value: '', next: close + 1 };
    }
    const value = name.startsWith('.') ? pseudoVar(name, ctx) : ctx.env[name];
    if (value === undefined) return { value: dash < 0 ? '' : body.slice(dash + 1), next: close + 1 };
    return { value, next: close + 1 };
  }
  if (src[i + 1] === '.' && isNameStart(src[i + 2])) {
    let j = i + 2;
    while (isNameChar(src[j])) j++;
    return { value: pseudoVar(src.slice(i + 1, j), ctx) ?? '', next: j };
  }
  if (!isNameStart(src[i + 1])) return null;
  let j = i + 1;
  while (isNameChar(src[j])) j++;
  return { value: ctx.env[src.slice(i + 1, j)] ?? '', next: j };
}

export function lexLine(src: string, ctx: LexContext): LexedLine {
  const words: Word[] = [];
  const errors: LexError[] = [];
  let cur = '';
  let curCol = 0; // 0 = no word in progress
  let quote: '"' | "'" | null = null;
  let quoteCol = 0;
  let i = 0;
  const start = (): void => {
    if (curCol === 0) curCol = i + 1;
  };
  const flush = (): void => {
    if (curCol !== 0) words.push({ text: cur, col: curCol });
    cur = '';
    curCol = 0;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\0') {
      errors.push({ col: i + 1, message: `NUL character at position ${i + 1}` });
      i++;
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
      i++;
      continue;
    }
    if (c === '\\') {
      start();
      const n = src[i + 1];
      if (n === 'x') {
        const hex = src.slice(i + 2, i + 4);
        if (!HEX.test(hex)) {
          errors.push({ col: i + 1, message: 'truncated or invalid hexadecimal sequence' });
          i += 2;
          continue;
        }
        cur += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        continue;
      }
      const esc = n === undefined ? undefined : SIMPLE_ESCAPES[n];
      if (esc !== undefined) {
        cur += esc;
        i += 2;
      } else {
        // HAProxy keeps an unknown escape verbatim, backslash included (regexes rely on it).
        cur += c;
        i++;
      }
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '$') {
        const r = expandVar(src, i, ctx, errors);
        if (r === null) cur += c;
        else {
          cur += r.value;
          i = r.next;
          continue;
        }
      } else cur += c;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      flush();
      i++;
      continue;
    }
    if (c === '#' || c === '\n' || c === '\r') break;
    if (c === '"' || c === "'") {
      start();
      quote = c;
      quoteCol = i + 1;
      i++;
      continue;
    }
    start();
    cur += c;
    i++;
  }
  if (quote !== null) {
    errors.push({ col: quoteCol, message: `unmatched quote at position ${quoteCol}` });
  }
  flush();
  return { words, errors };
}
