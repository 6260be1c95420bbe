// Builders for Model objects in tests: every field gets the compiler's default, tests override only
// what they exercise. Kept generic so any area's tests can use them.
import {
  DEFAULT_BALANCE,
  DEFAULT_BUFSIZE,
  DEFAULT_GLOBAL_MAXCONN,
  DEFAULT_HASH_FUNCTION,
  DEFAULT_INTER_MS,
  DEFAULT_MAXHDR,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_ON,
  DEFAULT_RISE,
  DEFAULT_FALL,
  DEFAULT_STATS_TIMEOUT_MS,
  DEFAULT_WEIGHT,
  MODEL_SCHEMA,
  type AclTerm,
  type BackendModel,
  type BalanceModel,
  type BindModel,
  type Condition,
  type FrontendModel,
  type GlobalModel,
  type Model,
  type Origin,
  type ServerCheckModel,
  type ServerModel,
  type Timeouts,
} from '../../src/config/model';

export const TEST_ORIGIN: Origin = { file: 'test.cfg', line: 1 };

/** no timeout set anywhere (HAProxy: infinite) unless overridden */
export function timeouts(t: Partial<Timeouts> = {}): Timeouts {
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
    ...t,
  };
}

export function globalModel(g: Partial<GlobalModel> = {}): GlobalModel {
  return {
    maxconn: DEFAULT_GLOBAL_MAXCONN,
    nbthread: 1,
    pidfile: null,
    hardStopAfter: null,
    user: null,
    group: null,
    insecureRunAsRoot: false,
    logs: [],
    statsSockets: [],
    statsTimeout: DEFAULT_STATS_TIMEOUT_MS,
    tune: { bufsize: DEFAULT_BUFSIZE, maxhdr: DEFAULT_MAXHDR },
    ...g,
  };
}

/** a bind on 127.0.0.1 port 0 (the test reads the bound port from the listener) */
export function bindModel(b: Partial<BindModel> = {}): BindModel {
  return { address: '127.0.0.1', port: 0, front: 'node', name: null, origin: TEST_ORIGIN, ...b };
}

export function frontendModel(f: Partial<FrontendModel> & { name: string }): FrontendModel {
  return {
    id: 1,
    listen: false,
    mode: 'http',
    binds: [bindModel()],
    maxconn: 0,
    maxRequestBody: 0,
    timeouts: timeouts(),
    acls: [],
    httpRequest: [],
    useBackend: [],
    defaultBackend: null,
    forwardFor: null,
    httpConnectionMode: 'keep-alive',
    errorFiles: [],
    logs: [],
    origin: TEST_ORIGIN,
    ...f,
  };
}

export function balanceModel(b: Partial<BalanceModel> = {}): BalanceModel {
  return {
    algorithm: DEFAULT_BALANCE,
    param: null,
    uriWhole: false,
    uriLen: 0,
    uriDepth: 0,
    uriPathOnly: false,
    useDomainOnly: false,
    draws: 2,
    ...b,
  };
}

/** a server's `check` settings: off, at the defaults, unless overridden */
export function checkModel(c: Partial<ServerCheckModel> = {}): ServerCheckModel {
  return {
    enabled: false,
    inter: DEFAULT_INTER_MS,
    fastinter: DEFAULT_INTER_MS,
    downinter: DEFAULT_INTER_MS,
    rise: DEFAULT_RISE,
    fall: DEFAULT_FALL,
    port: null,
    addr: null,
    ...c,
  };
}

/** a server at host:port; ids are 1-based like the compiler assigns them */
export function serverModel(s: Partial<ServerModel> & { name: string; port: number }): ServerModel {
  return {
    id: 1,
    host: '127.0.0.1',
    weight: DEFAULT_WEIGHT,
    maxconn: 0,
    maxqueue: 0,
    backup: false,
    disabled: false,
    check: checkModel(),
    slowstart: null,
    origin: TEST_ORIGIN,
    ...s,
  };
}

/** servers given as ports get names s1, s2... and ids in order */
export function backendModel(
  b: Partial<Omit<BackendModel, 'servers'>> & { name: string; servers?: readonly (ServerModel | number)[] },
): BackendModel {
  const servers = (b.servers ?? []).map((s, i) =>
    typeof s === 'number' ? serverModel({ name: `s${i + 1}`, id: i + 1, port: s }) : s,
  );
  return {
    id: 2,
    listen: false,
    mode: 'http',
    balance: balanceModel(),
    hashType: { method: 'map-based', fn: DEFAULT_HASH_FUNCTION, avalanche: false },
    timeouts: timeouts(),
    retries: DEFAULT_RETRIES,
    retryOn: DEFAULT_RETRY_ON,
    redispatch: { enabled: false, interval: -1 },
    acls: [],
    httpRequest: [],
    forwardFor: null,
    httpConnectionMode: 'keep-alive',
    errorFiles: [],
    httpCheck: null,
    logs: [],
    origin: TEST_ORIGIN,
    ...b,
    servers,
  };
}

export function model(m: {
  frontends?: readonly FrontendModel[];
  backends?: readonly BackendModel[];
  global?: Partial<GlobalModel>;
}): Model {
  return {
    schema: MODEL_SCHEMA,
    files: ['test.cfg'],
    global: globalModel(m.global),
    frontends: m.frontends ?? [],
    backends: m.backends ?? [],
  };
}

/** `if <acl>` over one anonymous ACL term */
export function ifTerm(term: Omit<AclTerm, 'origin' | 'ignoreCase' | 'arg'> & Partial<AclTerm>): Condition {
  const t: AclTerm = { arg: null, ignoreCase: false, origin: TEST_ORIGIN, ...term };
  return { kind: 'if', anyOf: [[{ negate: false, name: '{ anonymous }', terms: [t] }]] };
}

/** a model whose only backend, `web`, has this one server */
export function oneServer(server: ServerModel): Model {
  return model({ backends: [backendModel({ name: 'web', servers: [server] })] });
}
