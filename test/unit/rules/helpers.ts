import type { AclTerm, CondTerm, Condition, FetchName, MatchMethod } from '../../../src/config/model';
import { Exchange } from '../../../src/http/exchange';

export const ORIGIN = { file: 'test.cfg', line: 1 };

export function ex(
  url = '/',
  headers: string[] = [],
  opts: { method?: string; src?: string; dstPort?: number; version?: '1.0' | '1.1' } = {},
): Exchange {
  return new Exchange(
    opts.method ?? 'GET',
    url,
    opts.version ?? '1.1',
    headers,
    opts.src ?? '192.0.2.10',
    40000,
    opts.dstPort ?? 8080,
    'fe',
    false,
  );
}

export function term(
  fetch: FetchName,
  match: MatchMethod,
  patterns: string[],
  opts: { arg?: string; i?: boolean } = {},
): AclTerm {
  return { fetch, arg: opts.arg ?? null, match, ignoreCase: opts.i ?? false, patterns, origin: ORIGIN };
}

export function ref(terms: readonly AclTerm[], negate = false, name = 'acl'): CondTerm {
  return { negate, name, terms };
}

export function cond(kind: 'if' | 'unless', ...anyOf: CondTerm[][]): Condition {
  return { kind, anyOf };
}
