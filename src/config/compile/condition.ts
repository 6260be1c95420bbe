// `if|unless <cond>`: ACL names AND'ed by juxtaposition, `or`/`||` between groups, `!` negation,
// anonymous ACLs in `{ ... }` (braces are words of their own, as in HAProxy). ACL names resolve
// against the ACLs declared so far in the section, then the predefined ones.
import { didYouMean } from '../diagnostics';
import type { CondTerm, Condition } from '../model';
import { parseAclExpr, PREDEFINED_ACLS, UNSUPPORTED_PREDEFINED_ACLS } from './acl';
import type { ProxyDraft } from './draft';
import type { Stmt } from './stmt';

/** Parses s.args[i..] where s.args[i] is `if` or `unless`; everything up to the end is the condition. */
export function parseCondition(s: Stmt, i: number, draft: ProxyDraft): Condition | null {
  const kind = s.args[i] === 'unless' ? 'unless' : 'if';
  const anyOf: CondTerm[][] = [];
  let group: CondTerm[] = [];
  let ok = true;
  let j = i + 1;
  if (j >= s.args.length) {
    s.alert(i, `missing condition after '${kind}'.`);
    return null;
  }
  const closeGroup = (at: number): void => {
    if (group.length === 0) {
      s.alert(at, `empty term in condition (nothing before '${s.args[at]}').`);
      ok = false;
    }
    anyOf.push(group);
    group = [];
  };
  while (j < s.args.length) {
    let word = s.args[j];
    if (word === 'or' || word === '||') {
      closeGroup(j);
      j++;
      continue;
    }
    let negate = false;
    while (word.startsWith('!')) {
      negate = !negate;
      word = word.slice(1);
      if (word === '') {
        j++;
        word = s.args[j] ?? '';
        if (word === '') {
          s.alert(j - 1, "'!' must be followed by an ACL name.");
          return null;
        }
      }
    }
    if (word === '{') {
      const close = s.args.indexOf('}', j + 1);
      if (close < 0) {
        s.alert(j, "missing closing '}' in condition.");
        return null;
      }
      const term = close === j + 1 ? null : parseAclExpr(s, j + 1, close, s.origin);
      if (close === j + 1) s.alert(j, "empty anonymous ACL '{ }'.");
      if (term === null) ok = false;
      else group.push({ negate, name: `{ ${s.args.slice(j + 1, close).join(' ')} }`, terms: [term] });
      j = close + 1;
      continue;
    }
    if (word === '}') {
      s.alert(j, "unexpected '}' in condition.");
      return null;
    }
    const acl = draft.acls.get(word);
    if (acl !== undefined) {
      acl.used = true;
      group.push({ negate, name: word, terms: acl.terms });
    } else if (PREDEFINED_ACLS[word] !== undefined) {
      group.push({ negate, name: word, terms: PREDEFINED_ACLS[word] });
    } else if (UNSUPPORTED_PREDEFINED_ACLS.has(word)) {
      s.alert(j, `predefined ACL '${word}' is not supported by sluice yet.`);
      ok = false;
    } else {
      const names = [...draft.acls.keys(), ...Object.keys(PREDEFINED_ACLS)];
      s.alert(j, `no such ACL : '${word}'${didYouMean(word, names)}`);
      ok = false;
    }
    j++;
  }
  closeGroup(s.args.length - 1);
  return ok ? { kind, anyOf } : null;
}

/** Index of the first `if`/`unless` at or after `from`, or -1. */
export function condIndex(s: Stmt, from: number): number {
  for (let i = from; i < s.args.length; i++) if (s.args[i] === 'if' || s.args[i] === 'unless') return i;
  return -1;
}
