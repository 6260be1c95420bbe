// `stats <sub> ...`: the HTML stats page. As in HAProxy every implemented sub-keyword also enables
// the page; the ones sluice does not implement are alerts naming them. The page is answered by
// the frontend that receives the request, so a backend-only section cannot hold it here.
import { didYouMean } from '../diagnostics';
import { DEFAULT_STATS_REALM, DEFAULT_STATS_URI, type StatsPageModel } from '../model';
import { parseTime } from '../units';
import { parseCondition } from './condition';
import type { Mutable, ProxyDraft } from './draft';
import type { Stmt } from './stmt';

const SUPPORTED = ['admin', 'auth', 'enable', 'hide-version', 'realm', 'refresh', 'uri'];
const UNSUPPORTED = [
  'bind-process',
  'http-request',
  'scope',
  'show-desc',
  'show-legends',
  'show-modules',
  'show-node',
];

function page(draft: ProxyDraft): Mutable<StatsPageModel> {
  draft.stats ??= {
    uri: DEFAULT_STATS_URI,
    refreshMs: 0,
    realm: DEFAULT_STATS_REALM,
    users: [],
    admin: [],
    hideVersion: false,
  };
  return draft.stats;
}

export function parseStats(s: Stmt, draft: ProxyDraft): void {
  const sub = s.need(1, `one of ${SUPPORTED.map((w) => `'${w}'`).join(', ')}`);
  if (sub === null) return;
  if (UNSUPPORTED.includes(sub)) {
    s.alert(1, `'stats ${sub}' is not supported by sluice yet.`);
    return;
  }
  if (!SUPPORTED.includes(sub)) {
    s.alert(1, `unknown stats parameter '${sub}'${didYouMean(sub, [...SUPPORTED, ...UNSUPPORTED])}`);
    return;
  }
  if (draft.kind === 'backend') {
    s.alert(0, `'stats' is only supported in defaults, frontend and listen sections by sluice.`);
    return;
  }
  switch (sub) {
    case 'enable':
    case 'hide-version':
      if (!s.noMore(2)) return;
      if (sub === 'hide-version') page(draft).hideVersion = true;
      else page(draft);
      return;
    case 'uri': {
      const uri = s.need(2, 'a URI prefix');
      if (uri === null || !s.noMore(3)) return;
      if (!uri.startsWith('/')) {
        s.alert(2, `'stats uri' expects a URI prefix starting with '/', got '${uri}'.`);
        return;
      }
      page(draft).uri = uri;
      return;
    }
    case 'realm': {
      const realm = s.need(2, 'a realm name');
      if (realm === null || !s.noMore(3)) return;
      // the realm goes into a quoted header parameter: a quote or control byte would break it
      if ([...realm].some((c) => c === '"' || c === '\\' || c.charCodeAt(0) < 0x20 || c === '\x7f')) {
        s.alert(2, `'stats realm' cannot contain quotes, backslashes or control characters.`);
        return;
      }
      page(draft).realm = realm;
      return;
    }
    case 'refresh': {
      const v = s.need(2, 'a delay');
      const ms = v === null ? null : s.value(2, 'stats refresh', parseTime(v));
      if (ms !== null && s.noMore(3)) page(draft).refreshMs = ms;
      return;
    }
    case 'auth': {
      const v = s.need(2, "'<user>:<password>'");
      if (v === null || !s.noMore(3)) return;
      const i = v.indexOf(':');
      if (i <= 0) {
        s.alert(2, `'stats auth' expects '<user>:<password>', got '${v}'.`);
        return;
      }
      const st = page(draft);
      st.users = [...st.users, { user: v.slice(0, i), password: v.slice(i + 1) }];
      return;
    }
    case 'admin': {
      if (draft.kind === 'defaults') {
        s.alert(0, `'stats admin' not allowed in 'defaults' section.`);
        return;
      }
      if (s.args[2] !== 'if' && s.args[2] !== 'unless') {
        s.alert(2, `'stats admin' requires either 'if' or 'unless' followed by a condition.`);
        return;
      }
      const cond = parseCondition(s, 2, draft);
      if (cond === null) return;
      const st = page(draft);
      st.admin = [...st.admin, cond];
      return;
    }
  }
}
