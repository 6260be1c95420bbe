// The worker's side of the HTML stats page: matches `stats uri` (a prefix of the request target,
// as in HAProxy), checks `stats auth` (Basic) and evaluates `stats admin` here, where the request
// is, then has the primary render the page from every worker's counters.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FrontendModel, StatsPageModel } from '../config/model';
import type { Exchange } from '../http/exchange';
import { compileCondition } from '../http/rules';
import type { ServiceReply } from '../ipc';

/** an admin POST larger than this is refused (HAProxy's limit is its buffer size, 16 kB by default) */
export const STATS_POST_LIMIT = 16_384;

export interface CompiledStatsPage {
  readonly model: StatsPageModel;
  /** the request may use admin actions */
  admin(ex: Exchange): boolean;
  /** null when the request may see the page, else the 401 to send */
  deny(ex: Exchange): ServiceReply | null;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** constant-time comparison, so response times do not reveal how much of a password matched */
function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** true when an Authorization header carries one of the `stats auth` accounts */
export function basicAuthMatches(users: StatsPageModel['users'], header: string | undefined): boolean {
  if (users.length === 0) return true;
  if (header === undefined) return false;
  const m = /^basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (m === null) return false;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return false;
  const user = decoded.slice(0, i);
  const pass = decoded.slice(i + 1);
  let ok = false;
  for (const u of users) if (same(u.user, user) && same(u.password, pass)) ok = true;
  return ok;
}

export function unauthorized(realm: string): ServiceReply {
  return {
    status: 401,
    headers: [
      'www-authenticate',
      `Basic realm="${realm}"`,
      'content-type',
      'text/html',
      'cache-control',
      'no-cache',
    ],
    body:
      '<html><body><h1>401 Unauthorized</h1>\n' +
      'You need a valid user and password to access this content.\n</body></html>\n',
  };
}

export function compileStatsPage(fe: FrontendModel): CompiledStatsPage | null {
  const model = fe.stats ?? null;
  if (model === null) return null;
  const tests = model.admin.map(compileCondition);
  const denied = unauthorized(model.realm);
  return {
    model,
    admin: (ex) => tests.some((t) => t(ex)),
    deny: (ex) => (basicAuthMatches(model.users, ex.header('authorization')) ? null : denied),
  };
}
