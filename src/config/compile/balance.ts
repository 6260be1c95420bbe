// `balance <algorithm> [args]` and `hash-type <method> [<function>] [avalanche]`.
import { didYouMean } from '../diagnostics';
import type { BalanceAlgorithm, HashFunction } from '../model';
import { parseIntArg } from '../units';
import { defaultBalance, type ProxyDraft } from './draft';
import type { Stmt } from './stmt';

const SIMPLE: readonly BalanceAlgorithm[] = ['roundrobin', 'static-rr', 'leastconn', 'first', 'source'];
const ALL = [...SIMPLE, 'uri', 'url_param', 'hdr(<name>)', 'random'];
const UNSUPPORTED = ['rdp-cookie', 'hash', 'log-hash', 'sticky'];
const HASH_FUNCTIONS: readonly HashFunction[] = ['sdbm', 'djb2', 'wt6', 'crc32', 'none'];

export function parseBalance(s: Stmt, draft: ProxyDraft): void {
  const algo = s.need(1, 'an algorithm');
  if (algo === null) return;
  const b = defaultBalance();
  if ((SIMPLE as readonly string[]).includes(algo)) {
    b.algorithm = algo as BalanceAlgorithm;
    if (!s.noMore(2)) return;
  } else if (algo === 'uri') {
    b.algorithm = 'uri';
    for (let i = 2; i < s.args.length; i++) {
      const a = s.args[i];
      if (a === 'whole') b.uriWhole = true;
      else if (a === 'path-only') b.uriPathOnly = true;
      else if (a === 'len' || a === 'depth') {
        const v = s.need(i + 1, 'a positive integer');
        const n = v === null ? null : s.value(i + 1, `balance uri ${a}`, parseIntArg(v, 0, 2 ** 31 - 1));
        if (n === null) return;
        if (a === 'len') b.uriLen = n;
        else b.uriDepth = n;
        i++;
      } else {
        s.alert(
          i,
          `'balance uri' : unknown option '${a}'${didYouMean(a, ['whole', 'len', 'depth', 'path-only'])}`,
        );
        return;
      }
    }
  } else if (algo === 'url_param') {
    const p = s.need(2, 'a parameter name');
    if (p === null) return;
    if (s.args[3] === 'check_post') {
      s.alert(3, "'balance url_param ... check_post' is not supported by sluice yet.");
      return;
    }
    if (!s.noMore(3)) return;
    b.algorithm = 'url_param';
    b.param = p;
  } else if (algo.startsWith('hdr(')) {
    const m = /^hdr\(([^()]+)\)$/.exec(algo);
    if (m === null) {
      s.alert(1, `'balance hdr' expects a header name, e.g. 'hdr(host)'.`);
      return;
    }
    b.algorithm = 'hdr';
    b.param = m[1].toLowerCase();
    if (s.args[2] === 'use_domain_only') {
      b.useDomainOnly = true;
      if (!s.noMore(3)) return;
    } else if (!s.noMore(2)) return;
  } else if (algo === 'random' || algo.startsWith('random(')) {
    b.algorithm = 'random';
    const m = /^random(?:\(([^()]*)\))?$/.exec(algo);
    const n =
      m === null ? null : m[1] === undefined ? 2 : s.value(1, 'balance random', parseIntArg(m[1], 1, 1000));
    if (m === null) s.alert(1, `'balance random' expects 'random' or 'random(<draws>)'.`);
    if (n === null || !s.noMore(2)) return;
    b.draws = n;
  } else if (UNSUPPORTED.some((u) => algo === u || algo.startsWith(`${u}(`))) {
    s.alert(1, `'balance ${algo}' is not supported by sluice yet.`);
    return;
  } else {
    s.alert(1, `'balance' : unknown load balancing algorithm '${algo}'${didYouMean(algo, ALL)}`);
    return;
  }
  draft.balance = b;
}

export function parseHashType(s: Stmt, draft: ProxyDraft): void {
  const method = s.need(1, "'map-based' or 'consistent'");
  if (method === null) return;
  if (method !== 'map-based' && method !== 'consistent') {
    s.alert(1, `'hash-type' expects 'map-based' or 'consistent', got '${method}'.`);
    return;
  }
  let fn: HashFunction = 'sdbm';
  let avalanche = false;
  let i = 2;
  if (s.args[i] !== undefined && s.args[i] !== 'avalanche') {
    if (!(HASH_FUNCTIONS as readonly string[]).includes(s.args[i])) {
      s.alert(
        i,
        `'hash-type' : unknown hash function '${s.args[i]}'${didYouMean(s.args[i], HASH_FUNCTIONS)}`,
      );
      return;
    }
    fn = s.args[i] as HashFunction;
    i++;
  }
  if (s.args[i] === 'avalanche') {
    avalanche = true;
    i++;
  }
  if (!s.noMore(i)) return;
  draft.hashType = { method, fn, avalanche };
}
