// The primary's authoritative view of every server's state: what config said, what operators
// changed at runtime (admin state, weight, address, added/removed servers), and what checks
// observed. Health checks (src/health) implement and feed it; the runtime API, stats and metrics
// read and steer it; changes are broadcast to every worker. One store per sluice instance.
import type { ServerModel } from '../config/model';

export type AdminState = 'READY' | 'DRAIN' | 'MAINT';
export type OperState = 'UP' | 'DOWN';

/** A snapshot of one server, as `show stat`, `show servers state` and the exporter print it. */
export interface ServerStatus {
  readonly backend: string;
  readonly backendId: number;
  readonly server: string;
  readonly serverId: number;
  readonly host: string;
  readonly port: number;
  readonly backup: boolean;
  readonly admin: AdminState;
  readonly oper: OperState;
  /** HAProxy's status column: 'UP', 'DOWN', 'UP 1/3', 'DOWN 1/2', 'NOLB', 'DRAIN', 'MAINT', 'no check' */
  readonly status: string;
  /** weight set by config or `set weight` (0..256) */
  readonly weight: number;
  /** weight from the configuration */
  readonly initialWeight: number;
  /** weight the balancers use now (after slowstart ramp and agent percentage) */
  readonly effectiveWeight: number;
  /** slowstart: % of weight and maxconn granted while ramping; null or absent = not ramping */
  readonly throttle?: number | null;
  readonly checkEnabled: boolean;
  readonly agentEnabled: boolean;
  /** HAProxy check_status, e.g. 'L4OK', 'L4CON', 'L7OK', 'L7STS', 'L4TOUT', 'INI', '' when no check */
  readonly checkStatus: string;
  /** last HTTP status of the check, or null */
  readonly checkCode: number | null;
  readonly checkDurationMs: number | null;
  /** human text of the last check result ("Layer7 wrong status", ...) */
  readonly checkDesc: string;
  /** ms since epoch of the last state change */
  readonly lastChange: number;
  /** total ms spent DOWN */
  readonly downtimeMs: number;
  /** failed checks, and UP→DOWN transitions */
  readonly chkfail: number;
  readonly chkdown: number;
  /** HAProxy srv_check_health: the rise/fall counter (0..rise+fall-1); absent = 0 */
  readonly checkHealth?: number;
  /** `disabled` in the configuration (HAProxy's CMAINT flag); absent = false */
  readonly configDisabled?: boolean;
  /** an agent check is configured, enabled or not; absent = agentEnabled */
  readonly agentConfigured?: boolean;
}

/** The store. Mutators return null on success or an error text for the runtime API to print. */
export interface ServerStateStore {
  list(): readonly ServerStatus[];
  find(backend: string, server: string): ServerStatus | undefined;
  setAdmin(backend: string, server: string, state: AdminState): string | null;
  /** absolute weight 0..256 */
  setWeight(backend: string, server: string, weight: number): string | null;
  setAddr(backend: string, server: string, host: string, port: number | null): string | null;
  setHealthEnabled(backend: string, server: string, enabled: boolean): string | null;
  setAgentEnabled(backend: string, server: string, enabled: boolean): string | null;
  addServer(backend: string, model: ServerModel): string | null;
  delServer(backend: string, server: string): string | null;
  /** called after every change, with the server's new snapshot (null when it was deleted) */
  onChange(listener: (backend: string, server: string, status: ServerStatus | null) => void): void;
}
