// Diagnostics are collected, never thrown: every stage appends to one Diagnostics bag so that
// `sluice -c` can list every problem of a configuration in one run, as `haproxy -c` does.
import type { Diagnostic, Severity } from './model';

/** A source position; line 0 means "the whole file" (e.g. it cannot be read). */
export interface Pos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];

  add(severity: Severity, at: Pos, message: string, hint?: string): void {
    const d: Diagnostic =
      hint === undefined
        ? { severity, file: at.file, line: at.line, col: at.col, message }
        : { severity, file: at.file, line: at.line, col: at.col, message, hint };
    this.list.push(d);
  }

  alert(at: Pos, message: string, hint?: string): void {
    this.add('alert', at, message, hint);
  }

  warning(at: Pos, message: string, hint?: string): void {
    this.add('warning', at, message, hint);
  }

  notice(at: Pos, message: string, hint?: string): void {
    this.add('notice', at, message, hint);
  }

  get alertCount(): number {
    let n = 0;
    for (const d of this.list) if (d.severity === 'alert') n++;
    return n;
  }
}

const LABELS: Record<Severity, string> = { alert: 'ALERT', warning: 'WARNING', notice: 'NOTICE' };

/** HAProxy's print_message(): the level in brackets padded to 10 columns, then "(pid) : ". */
export function formatDiagnostic(d: Diagnostic, pid: number): string {
  const level = `[${LABELS[d.severity]}]`.padEnd(10, ' ');
  const where = d.line > 0 ? `parsing [${d.file}:${d.line}] : ` : '';
  const hint = d.hint === undefined || d.hint === '' ? '' : ` ${d.hint}`;
  return `${level} (${pid}) : config : ${where}${d.message}${hint}`;
}

export function formatCheckReport(
  result: { readonly diagnostics: readonly Diagnostic[] },
  pid: number,
): string {
  const lines = result.diagnostics.map((d) => formatDiagnostic(d, pid));
  const fatal = result.diagnostics.some((d) => d.severity === 'alert');
  lines.push(
    fatal
      ? `${'[ALERT]'.padEnd(10)} (${pid}) : config : Fatal errors found in configuration.`
      : 'Configuration file is valid',
  );
  return lines.join('\n') + '\n';
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate when it is plausibly a typo (HAProxy's "did you mean ... maybe ?"). */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== null && bestDist <= limit ? best : null;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === null ? '' : `; did you mean '${c}' maybe ?`;
}
