// `if|unless` conditions compiled into one predicate: an OR of ANDs of ACL references, each
// reference being the OR of its declarations, possibly negated.

import type { CondTerm, Condition } from '../../config/model';
import type { Exchange } from '../exchange';
import { compileAclTerm } from './acl';

type Predicate = (ex: Exchange) => boolean;

const ALWAYS: Predicate = () => true;

function compileCondTerm(ct: CondTerm): Predicate {
  const parts = ct.terms.map(compileAclTerm);
  let any: Predicate;
  if (parts.length === 0) any = () => false;
  else if (parts.length === 1) any = parts[0] as Predicate;
  else
    any = (ex) => {
      for (const p of parts) if (p(ex)) return true;
      return false;
    };
  if (!ct.negate) return any;
  return (ex) => !any(ex);
}

function compileAnd(terms: readonly CondTerm[]): Predicate {
  const parts = terms.map(compileCondTerm);
  if (parts.length === 1) return parts[0] as Predicate;
  return (ex) => {
    for (const p of parts) if (!p(ex)) return false;
    return true;
  };
}

/** null → always true; `unless` negates the whole disjunction. */
export function compileCondition(cond: Condition | null): Predicate {
  if (cond === null) return ALWAYS;
  const alts = cond.anyOf.map(compileAnd);
  let any: Predicate;
  if (alts.length === 1) any = alts[0] as Predicate;
  else
    any = (ex) => {
      for (const a of alts) if (a(ex)) return true;
      return false;
    };
  if (cond.kind === 'if') return any;
  return (ex) => !any(ex);
}
