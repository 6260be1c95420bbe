// The mutable state of a proxy (or defaults section) while its statements are compiled. A proxy
// starts as a copy of its defaults section; finalize() turns it into immutable Model objects.
import type { Pos } from '../diagnostics';
import {
  DEFAULT_BALANCE,
  DEFAULT_DONTLOGNULL,
  DEFAULT_HASH_FUNCTION,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_ON,
  type AclTerm,
  type BalanceModel,
  type BindModel,
  type ErrorFileModel,
  type ForwardForModel,
  type HashTypeModel,
  type HttpCheckModel,
  type HttpConnectionMode,
  type HttpRequestRule,
  type InitAddrMethod,
  type LogTarget,
  type Mode,
  type OnErrorAction,
  type Origin,
  type RedispatchModel,
  type RetryOnModel,
  type ServerModel,
  type Timeouts,
  type ServiceRule,
  type StatsPageModel,
  type UseBackendRule,
} from '../model';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type DraftKind = 'defaults' | 'frontend' | 'backend' | 'listen';

/** Server options a `default-server` line may set; unset ones fall back to the model defaults. */
export interface ServerDefaults {
  weight?: number;
  maxconn?: number;
  maxqueue?: number;
  backup?: boolean;
  disabled?: boolean;
  check?: boolean;
  inter?: number;
  fastinter?: number;
  downinter?: number;
  rise?: number;
  fall?: number;
  port?: number;
  addr?: string;
  slowstart?: number;
  agentCheck?: boolean;
  agentPort?: number;
  agentInter?: number;
  agentSend?: string;
  agentAddr?: string;
  observe?: 'layer4' | 'layer7';
  errorLimit?: number;
  onError?: OnErrorAction;
  onMarkedDown?: 'shutdown-sessions';
  onMarkedUp?: 'shutdown-backup-sessions';
  initAddr?: readonly InitAddrMethod[];
}

export interface AclDraft {
  /** shared with every CondTerm naming this ACL, so later declarations of the name are seen too */
  readonly terms: AclTerm[];
  readonly pos: Pos;
  used: boolean;
}

/** `log global` is kept as a marker in place, resolved once all global sections are known. */
export type LogEntry = LogTarget | 'global';

export interface ServerDraft {
  readonly model: Mutable<ServerModel>;
  readonly explicitId: boolean;
  readonly pos: Pos;
}

export interface ProxyDraft {
  readonly kind: DraftKind;
  /** '' for an anonymous defaults section */
  readonly name: string;
  readonly pos: Pos;
  readonly origin: Origin;
  id: number;
  mode: Mode;
  maxconn: number;
  /** max-request-body-size; 0 = none */
  maxRequestBody: number;
  timeouts: Mutable<Timeouts>;
  balance: Mutable<BalanceModel>;
  hashType: Mutable<HashTypeModel>;
  retries: number;
  retryOn: RetryOnModel;
  redispatch: RedispatchModel;
  forwardFor: ForwardForModel | null;
  forwardForPos: Pos | null;
  httpConnectionMode: HttpConnectionMode;
  errorFiles: Map<number, ErrorFileModel>;
  httpCheck: HttpCheckModel | null;
  logs: LogEntry[];
  /** access-log format (log-format, option httplog/tcplog); null = JSON */
  logFormat: string | null;
  /** where logFormat was set, and by which keyword (for the httplog-in-tcp-mode warning) */
  logFormatPos: Pos | null;
  logFormatBy: 'log-format' | 'httplog' | 'tcplog' | null;
  dontLogNull: boolean;
  allBackups: boolean;
  /** `load-server-state-from-file`; null = not said (HAProxy's default: none) */
  loadServerState: 'global' | 'local' | 'none' | null;
  /** `server-state-file-name`: undefined = not said, null = the backend's name */
  serverStateFileName: string | null | undefined;
  defaultServer: ServerDefaults;
  defaultBackend: string | null;
  defaultBackendPos: Pos | null;
  acls: Map<string, AclDraft>;
  /** rules written in this section */
  httpRequest: HttpRequestRule[];
  /** rules of the named defaults section this proxy comes `from`, evaluated first */
  inheritedHttpRequest: HttpRequestRule[];
  useBackend: { rule: UseBackendRule; pos: Pos }[];
  /** `http-request use-service` rules */
  services: ServiceRule[];
  /** `stats ...` lines seen so far (null: the page is off) */
  stats: Mutable<StatsPageModel> | null;
  binds: BindModel[];
  servers: ServerDraft[];
}

export function emptyTimeouts(): Mutable<Timeouts> {
  return {
    connect: null,
    client: null,
    server: null,
    httpRequest: null,
    httpKeepAlive: null,
    queue: null,
    tunnel: null,
    clientFin: null,
    serverFin: null,
    check: null,
  };
}

export function defaultBalance(): Mutable<BalanceModel> {
  return {
    algorithm: DEFAULT_BALANCE,
    param: null,
    uriWhole: false,
    uriLen: 0,
    uriDepth: 0,
    uriPathOnly: false,
    useDomainOnly: false,
    draws: 2,
  };
}

export function newDraft(kind: DraftKind, name: string, pos: Pos): ProxyDraft {
  return {
    kind,
    name,
    pos,
    origin: { file: pos.file, line: pos.line },
    id: 0,
    mode: 'tcp',
    maxconn: 0,
    maxRequestBody: 0,
    timeouts: emptyTimeouts(),
    balance: defaultBalance(),
    hashType: { method: 'map-based', fn: DEFAULT_HASH_FUNCTION, avalanche: false },
    retries: DEFAULT_RETRIES,
    retryOn: DEFAULT_RETRY_ON,
    redispatch: { enabled: false, interval: -1 },
    forwardFor: null,
    forwardForPos: null,
    httpConnectionMode: 'keep-alive',
    errorFiles: new Map(),
    httpCheck: null,
    logs: [],
    logFormat: null,
    logFormatPos: null,
    logFormatBy: null,
    dontLogNull: DEFAULT_DONTLOGNULL,
    allBackups: false,
    loadServerState: null,
    serverStateFileName: undefined,
    defaultServer: {},
    defaultBackend: null,
    defaultBackendPos: null,
    acls: new Map(),
    httpRequest: [],
    inheritedHttpRequest: [],
    useBackend: [],
    services: [],
    stats: null,
    binds: [],
    servers: [],
  };
}

/**
 * A new section initialised from a defaults section: settings are copied, but not what belongs
 * to the defaults section itself (its ACLs, binds, servers). Its rules are inherited as a block
 * that runs before the proxy's own, as in HAProxy.
 */
export function draftFrom(parent: ProxyDraft, kind: DraftKind, name: string, pos: Pos): ProxyDraft {
  const d = newDraft(kind, name, pos);
  d.mode = parent.mode;
  d.maxconn = parent.maxconn;
  d.maxRequestBody = parent.maxRequestBody;
  d.timeouts = { ...parent.timeouts };
  d.balance = { ...parent.balance };
  d.hashType = { ...parent.hashType };
  d.retries = parent.retries;
  d.retryOn = parent.retryOn;
  d.redispatch = { ...parent.redispatch };
  d.forwardFor = parent.forwardFor;
  d.forwardForPos = parent.forwardForPos;
  d.httpConnectionMode = parent.httpConnectionMode;
  d.errorFiles = new Map(parent.errorFiles);
  d.httpCheck = parent.httpCheck;
  d.logs = [...parent.logs];
  d.logFormat = parent.logFormat;
  d.logFormatPos = parent.logFormatPos;
  d.logFormatBy = parent.logFormatBy;
  d.dontLogNull = parent.dontLogNull;
  d.allBackups = parent.allBackups;
  d.loadServerState = parent.loadServerState;
  d.serverStateFileName = parent.serverStateFileName;
  d.defaultServer = { ...parent.defaultServer };
  d.defaultBackend = parent.defaultBackend;
  d.defaultBackendPos = parent.defaultBackendPos;
  d.stats = parent.stats === null ? null : { ...parent.stats, users: [...parent.stats.users] };
  if (kind !== 'defaults') d.inheritedHttpRequest = [...parent.inheritedHttpRequest, ...parent.httpRequest];
  return d;
}

export const hasFrontend = (d: ProxyDraft): boolean => d.kind === 'frontend' || d.kind === 'listen';
export const hasBackend = (d: ProxyDraft): boolean => d.kind === 'backend' || d.kind === 'listen';

/** HAProxy's proxy_type_str(): what diagnostics call this section. */
export function kindLabel(d: ProxyDraft): string {
  return d.kind === 'defaults'
    ? d.name === ''
      ? 'defaults section'
      : `defaults section '${d.name}'`
    : `${d.kind} '${d.name}'`;
}
