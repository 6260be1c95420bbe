// The Model: everything a configuration can say, as plain, immutable, JSON-serializable data.
// The compiler produces it (config/compile), the primary sends it to workers over IPC, and every
// runtime module consumes it. Durations are milliseconds; `null` means "not set" (which for a
// timeout means infinite). Defaults are the named constants below, applied by the compiler.

export const MODEL_SCHEMA = 1;

// ---- defaults (HAProxy's, unless noted) ----------------------------------------------------------
export const DEFAULT_GLOBAL_MAXCONN = 4096; // HAProxy derives it from ulimit -n; we pick a fixed value
export const DEFAULT_RETRIES = 3; // CONN_RETRIES
export const DEFAULT_WEIGHT = 1;
export const MAX_WEIGHT = 256;
export const DEFAULT_INTER_MS = 2000;
export const DEFAULT_RISE = 2;
export const DEFAULT_FALL = 3;
export const DEFAULT_ERROR_LIMIT = 10; // observe: consecutive errors before on-error applies
export const DEFAULT_ON_ERROR: OnErrorAction = 'fail-check';
/** `init-addr`: the state file's address, else libc at startup (HAProxy's SRV_IADDR default) */
export const DEFAULT_INIT_ADDR: readonly InitAddrMethod[] = ['last', 'libc'];
export const DEFAULT_BUFSIZE = 16384; // tune.bufsize
export const DEFAULT_MAXHDR = 101; // tune.http.maxhdr
export const DEFAULT_STATS_TIMEOUT_MS = 10_000;
export const DEFAULT_STATS_URI = '/haproxy?stats'; // STATS_DEFAULT_URI
export const DEFAULT_STATS_REALM = 'HAProxy Statistics'; // STATS_DEFAULT_REALM
export const DEFAULT_DENY_STATUS = 403;
export const DEFAULT_REDIRECT_CODE = 302;
export const DEFAULT_BALANCE: BalanceAlgorithm = 'roundrobin'; // HAProxy < 3.3; 3.3 switched to random
export const DEFAULT_HASH_FUNCTION: HashFunction = 'sdbm';
export const DEFAULT_FORWARDFOR_HEADER = 'x-forwarded-for';
/** `option httplog`: HAProxy's HTTP log format */
export const HTTPLOG_FORMAT =
  '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r';
/** `option tcplog`: HAProxy's TCP log format */
export const TCPLOG_FORMAT = '%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq';
export const DEFAULT_DONTLOGNULL = false;

/** Where a statement came from, for diagnostics and `show` output. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

export type Mode = 'http' | 'tcp';

export interface Model {
  readonly schema: typeof MODEL_SCHEMA;
  /** config files in load order */
  readonly files: readonly string[];
  readonly global: GlobalModel;
  /** frontends, including the frontend half of every `listen` section, in declaration order */
  readonly frontends: readonly FrontendModel[];
  /** backends, including the backend half of every `listen` section, in declaration order */
  readonly backends: readonly BackendModel[];
}

/** HAProxy's words when hasListener() is false */
export const NO_LISTENER = "No enabled listener found (check for 'bind' directives)";

/** HAProxy will not start without a listener: a bind on some proxy, or a stats socket */
export function hasListener(model: Model): boolean {
  return model.global.statsSockets.length > 0 || model.frontends.some((f) => f.binds.length > 0);
}

// ---- global ------------------------------------------------------------------------------------

export interface GlobalModel {
  readonly maxconn: number;
  /** worker count; null = number of CPUs */
  readonly nbthread: number | null;
  readonly pidfile: string | null;
  readonly hardStopAfter: number | null;
  readonly user: string | null;
  readonly group: string | null;
  /** `insecure-run-as-root` (sluice extension): start as root without `user`, with a warning */
  readonly insecureRunAsRoot: boolean;
  readonly logs: readonly LogTarget[];
  readonly statsSockets: readonly StatsSocketModel[];
  readonly statsTimeout: number;
  readonly tune: TuneModel;
  /** `server-state-file` resolved against `server-state-base`; null or absent = none */
  readonly serverStateFile?: string | null;
  /** `server-state-base`: directory for relative state file names */
  readonly serverStateBase?: string | null;
}

/** HAProxy: a state file name not starting with '/' is prefixed with `server-state-base`, if set */
export function resolveStatePath(base: string | null | undefined, name: string): string {
  if (name.startsWith('/') || base === null || base === undefined || base === '') return name;
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

export interface TuneModel {
  /** tune.bufsize: upper bound for request line + headers, and for buffered bodies */
  readonly bufsize: number;
  /** tune.http.maxhdr: max number of request headers */
  readonly maxhdr: number;
}

export type LogFormatKind = 'raw' | 'rfc3164' | 'rfc5424' | 'json' | 'short' | 'iso' | 'local' | 'timed';

export interface LogTarget {
  /** `stdout`, `stderr`, a file path, `udp@host:port` or `host:port` (udp) as written */
  readonly target: string;
  readonly kind: 'stdout' | 'stderr' | 'file' | 'udp';
  readonly host: string | null;
  readonly port: number | null;
  readonly path: string | null;
  readonly format: LogFormatKind;
  readonly facility: string;
  readonly level: string | null;
  readonly minLevel: string | null;
  /** `len <n>`: maximum line length (default 1024); optional so older producers stay valid */
  readonly len?: number;
  readonly origin: Origin;
}

export type StatsLevel = 'user' | 'operator' | 'admin';

export interface StatsSocketModel {
  readonly kind: 'unix' | 'tcp';
  readonly path: string | null;
  readonly host: string | null;
  readonly port: number | null;
  /** file mode for unix sockets; null = 0600 */
  readonly mode: number | null;
  readonly level: StatsLevel;
  readonly origin: Origin;
}

// ---- shared by frontends and backends ----------------------------------------------------------

export interface Timeouts {
  readonly connect: number | null;
  readonly client: number | null;
  readonly server: number | null;
  readonly httpRequest: number | null;
  readonly httpKeepAlive: number | null;
  readonly queue: number | null;
  readonly tunnel: number | null;
  readonly clientFin: number | null;
  readonly serverFin: number | null;
  readonly check: number | null;
}

/** option http-keep-alive (default) | http-server-close | httpclose */
export type HttpConnectionMode = 'keep-alive' | 'server-close' | 'close';

export interface ForwardForModel {
  /** lower-case header name, default x-forwarded-for */
  readonly header: string;
  /** CIDRs whose clients get no header (`except`) */
  readonly except: readonly string[];
  readonly ifNone: boolean;
}

/** errorfile <code> <file>: the file's raw bytes (a full HTTP response), read at compile time */
export interface ErrorFileModel {
  readonly status: number;
  readonly file: string;
  readonly raw: string;
}

// ---- ACLs and conditions -----------------------------------------------------------------------

export type FetchName =
  | 'path'
  | 'url'
  | 'query'
  | 'url_param'
  | 'hdr'
  | 'method'
  | 'src'
  | 'dst_port'
  | 'req_ver' // HTTP version as "1.0" / "1.1" (predefined HTTP_1.0 / HTTP_1.1)
  | 'always_true'
  | 'always_false';

export type MatchMethod =
  'str' | 'beg' | 'end' | 'sub' | 'reg' | 'dir' | 'dom' | 'found' | 'ip' | 'int' | 'len';

/** One `acl` declaration line (or an anonymous `{ ... }` ACL, or a predefined one). */
export interface AclTerm {
  readonly fetch: FetchName;
  /** header name for hdr (lower-case), parameter name for url_param, else null */
  readonly arg: string | null;
  readonly match: MatchMethod;
  readonly ignoreCase: boolean;
  /** patterns as written; `ip` patterns are addresses or CIDRs; `int` patterns are "eq 3", "3:5", "3" */
  readonly patterns: readonly string[];
  readonly origin: Origin;
}

/** A named ACL: several declarations of one name are OR'ed. */
export interface AclModel {
  readonly name: string;
  readonly terms: readonly AclTerm[];
}

/** A reference inside a condition: the ACL's terms (OR'ed), possibly negated. */
export interface CondTerm {
  readonly negate: boolean;
  /** ACL name as written, or `{ anonymous }` */
  readonly name: string;
  readonly terms: readonly AclTerm[];
}

/** `if|unless` A B or C !D: a disjunction (outer array) of conjunctions (inner arrays). */
export interface Condition {
  readonly kind: 'if' | 'unless';
  readonly anyOf: readonly (readonly CondTerm[])[];
}

// ---- http-request rules ------------------------------------------------------------------------

/** A value in HAProxy log-format syntax (`%[src]`, `%ci`, literal text); kept raw, compiled by workers. */
export type LogFormatString = string;

export type HttpRequestAction =
  | { readonly action: 'set-header'; readonly name: string; readonly value: LogFormatString }
  | { readonly action: 'add-header'; readonly name: string; readonly value: LogFormatString }
  | {
      readonly action: 'del-header';
      readonly name: string;
      readonly match: 'str' | 'beg' | 'end' | 'sub' | 'reg';
    }
  | { readonly action: 'allow' }
  | {
      readonly action: 'deny';
      readonly status: number;
      readonly contentType: string | null;
      readonly body: string | null;
      /** errorfile override given on the rule, else the proxy's errorfile for that status applies */
      readonly headers: readonly (readonly [string, LogFormatString])[];
    }
  | {
      readonly action: 'return';
      readonly status: number;
      readonly contentType: string | null;
      /** `string` argument, or the contents of `file` read at compile time */
      readonly body: string | null;
      readonly headers: readonly (readonly [string, LogFormatString])[];
    }
  | {
      readonly action: 'redirect';
      readonly type: 'location' | 'prefix' | 'scheme';
      readonly target: LogFormatString;
      readonly code: 301 | 302 | 303 | 307 | 308;
      readonly dropQuery: boolean;
      readonly appendSlash: boolean;
    };

export type HttpRequestRule = HttpRequestAction & {
  readonly cond: Condition | null;
  readonly origin: Origin;
};

/** `http-request use-service <name> [if|unless <cond>]`: a built-in service answers the request */
export interface ServiceRule {
  readonly service: 'prometheus-exporter';
  readonly cond: Condition | null;
  readonly origin: Origin;
}

/** `stats enable|uri|refresh|auth|realm|admin|hide-version`: any of them enables the page. */
export interface StatsPageModel {
  /** URI prefix the page answers (path and query, compared as a prefix, as HAProxy does) */
  readonly uri: string;
  /** `stats refresh`: the page reloads itself after this many ms; 0 = never */
  readonly refreshMs: number;
  /** `stats realm`, sent in WWW-Authenticate */
  readonly realm: string;
  /** `stats auth <user>:<password>`; empty = no authentication */
  readonly users: readonly { readonly user: string; readonly password: string }[];
  /** `stats admin if|unless <cond>`: a request matching any of them may change server states */
  readonly admin: readonly Condition[];
  readonly hideVersion: boolean;
}

export interface UseBackendRule {
  readonly backend: string;
  readonly cond: Condition | null;
  readonly origin: Origin;
}

// ---- frontends ---------------------------------------------------------------------------------

/** Which HTTP/1 parser serves a bind: uWebSockets.js (fast, HTTP/1.1 origin-form only) or node:http. */
export type FrontKind = 'uws' | 'node';

export interface BindModel {
  /** numeric address to bind: '0.0.0.0' for `*` or empty, '::' for `[::]` */
  readonly address: string;
  readonly port: number;
  readonly front: FrontKind;
  readonly name: string | null;
  readonly origin: Origin;
}

export interface FrontendModel {
  readonly name: string;
  /** proxy id, assigned in declaration order across frontends and backends (as HAProxy's iid) */
  readonly id: number;
  /** true when this is the frontend half of a `listen` section */
  readonly listen: boolean;
  readonly mode: Mode;
  readonly binds: readonly BindModel[];
  /** 0 = use global maxconn */
  readonly maxconn: number;
  /** `max-request-body-size` (sluice extension): largest request body in bytes, 0 = no limit */
  readonly maxRequestBody: number;
  readonly timeouts: Timeouts;
  readonly acls: readonly AclModel[];
  readonly httpRequest: readonly HttpRequestRule[];
  readonly useBackend: readonly UseBackendRule[];
  readonly defaultBackend: string | null;
  readonly forwardFor: ForwardForModel | null;
  readonly httpConnectionMode: HttpConnectionMode;
  readonly errorFiles: readonly ErrorFileModel[];
  readonly logs: readonly LogTarget[];
  /** `http-request use-service` rules, evaluated before the other http-request rules; absent = none */
  readonly services?: readonly ServiceRule[];
  /** the HTML stats page (`stats enable`, `stats uri`, ...); absent or null = not served */
  readonly stats?: StatsPageModel | null;
  /**
   * access-log format: `log-format`, or HTTPLOG_FORMAT / TCPLOG_FORMAT for `option httplog` /
   * `option tcplog`; null (or absent) = one JSON object per request or session
   */
  readonly logFormat?: LogFormatString | null;
  /** option dontlognull: sessions that sent no data are not logged */
  readonly dontLogNull?: boolean;
  readonly origin: Origin;
}

// ---- backends ----------------------------------------------------------------------------------

export type BalanceAlgorithm =
  'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'source' | 'uri' | 'url_param' | 'hdr' | 'random';

export type HashFunction = 'sdbm' | 'djb2' | 'wt6' | 'crc32' | 'none';

export interface BalanceModel {
  readonly algorithm: BalanceAlgorithm;
  /** url_param name or hdr name (lower-case) */
  readonly param: string | null;
  /** uri: `whole` (include the query), `len`, `depth`, `path-only` */
  readonly uriWhole: boolean;
  readonly uriLen: number;
  readonly uriDepth: number;
  readonly uriPathOnly: boolean;
  /** hdr: use_domain_only */
  readonly useDomainOnly: boolean;
  /** random(<draws>) */
  readonly draws: number;
}

export interface HashTypeModel {
  readonly method: 'map-based' | 'consistent';
  readonly fn: HashFunction;
  readonly avalanche: boolean;
}

/** retry-on: which failures make a request go to a server again (retries permitting) */
export interface RetryOnModel {
  readonly connFailure: boolean;
  readonly emptyResponse: boolean;
  readonly junkResponse: boolean;
  readonly responseTimeout: boolean;
  readonly zeroRttRejected: boolean;
  /** response statuses that trigger a retry (401 403 404 408 421 425 429 500 501 502 503 504) */
  readonly statuses: readonly number[];
}

/** HAProxy's default: only connection failures are retried */
export const DEFAULT_RETRY_ON: RetryOnModel = {
  connFailure: true,
  emptyResponse: false,
  junkResponse: false,
  responseTimeout: false,
  zeroRttRejected: false,
  statuses: [],
};

export interface RedispatchModel {
  readonly enabled: boolean;
  /** -1 = on the last retry (default), P > 0 = every P-th retry */
  readonly interval: number;
}

export interface ServerModel {
  readonly name: string;
  /** server id within its backend, 1-based, in declaration order (or `id` option) */
  readonly id: number;
  /** host as written (IPv4, IPv6 without brackets, or a name resolved at connect time) */
  readonly host: string;
  readonly port: number;
  readonly weight: number;
  /** 0 = unlimited */
  readonly maxconn: number;
  /** 0 = unlimited */
  readonly maxqueue: number;
  readonly backup: boolean;
  readonly disabled: boolean;
  readonly check: ServerCheckModel;
  readonly slowstart: number | null;
  readonly origin: Origin;
  /** `agent-check` with agent-port/agent-inter/agent-send/agent-addr; null or absent = none */
  readonly agent?: AgentCheckModel | null;
  /** `observe layer4|layer7`: passive health from live traffic; null or absent = off */
  readonly observe?: 'layer4' | 'layer7' | null;
  /** `error-limit` (DEFAULT_ERROR_LIMIT) */
  readonly errorLimit?: number;
  /** `on-error` (DEFAULT_ON_ERROR) */
  readonly onError?: OnErrorAction;
  readonly onMarkedDown?: 'shutdown-sessions' | null;
  readonly onMarkedUp?: 'shutdown-backup-sessions' | null;
  /** `init-addr`, tried in order at startup for a server configured by name (DEFAULT_INIT_ADDR) */
  readonly initAddr?: readonly InitAddrMethod[];
}

/** `last` (state file), `libc` (resolve at startup), `none` (start in MAINT), or an IP address */
export type InitAddrMethod = 'last' | 'libc' | 'none' | `ip:${string}`;

export type OnErrorAction = 'fastinter' | 'fail-check' | 'sudden-death' | 'mark-down';

export interface AgentCheckModel {
  readonly port: number;
  /** agent-inter, defaults to the server's inter */
  readonly inter: number;
  /** agent-send string (escapes already decoded), or null */
  readonly send: string | null;
  /** agent-addr, defaults to the check addr / server host */
  readonly addr: string | null;
}

/** `http-check expect [!] status|rstatus|string|rstring <pattern>` */
export interface HttpCheckExpect {
  readonly kind: 'status' | 'rstatus' | 'string' | 'rstring';
  readonly negate: boolean;
  readonly pattern: string;
}

export interface ServerCheckModel {
  readonly enabled: boolean;
  readonly inter: number;
  readonly fastinter: number;
  readonly downinter: number;
  readonly rise: number;
  readonly fall: number;
  readonly port: number | null;
  readonly addr: string | null;
}

export interface HttpCheckModel {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  readonly host: string | null;
  /** `http-check send hdr <name> <value>` (besides Host) */
  readonly headers?: readonly (readonly [string, string])[];
  /** `http-check send body <string>` */
  readonly body?: string | null;
  /** `http-check expect`; null or absent = any 2xx/3xx passes */
  readonly expect?: HttpCheckExpect | null;
  /** `http-check disable-on-404`: a 404 keeps the server UP but takes it out of balancing (NOLB) */
  readonly disableOn404?: boolean;
}

export interface BackendModel {
  readonly name: string;
  readonly id: number;
  readonly listen: boolean;
  readonly mode: Mode;
  readonly balance: BalanceModel;
  readonly hashType: HashTypeModel;
  readonly servers: readonly ServerModel[];
  readonly timeouts: Timeouts;
  readonly retries: number;
  readonly retryOn: RetryOnModel;
  readonly redispatch: RedispatchModel;
  readonly acls: readonly AclModel[];
  readonly httpRequest: readonly HttpRequestRule[];
  readonly forwardFor: ForwardForModel | null;
  readonly httpConnectionMode: HttpConnectionMode;
  readonly errorFiles: readonly ErrorFileModel[];
  readonly httpCheck: HttpCheckModel | null;
  readonly logs: readonly LogTarget[];
  readonly origin: Origin;
  /** `option allbackups`: every UP backup takes traffic when no active server is UP */
  readonly allBackups?: boolean;
  /** `load-server-state-from-file`; absent = 'none' */
  readonly loadServerState?: 'global' | 'local' | 'none';
  /** `server-state-file-name` for 'local' (resolved against server-state-base); null = backend name */
  readonly serverStateFileName?: string | null;
}

// ---- diagnostics -------------------------------------------------------------------------------

export type Severity = 'alert' | 'warning' | 'notice';

export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** HAProxy-style text, e.g. "unknown keyword 'timout' in 'defaults' section; did you mean 'timeout' maybe ?" */
  readonly message: string;
  /** extra hint shown after the message, if any */
  readonly hint?: string;
}

export interface CompileResult {
  /** null when any alert was produced: an invalid config never starts the proxy */
  readonly model: Model | null;
  readonly diagnostics: readonly Diagnostic[];
}
