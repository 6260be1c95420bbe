// One server's live state in the primary: what config said, what operators changed, what checks
// observed. The health counter follows HAProxy (src/check.c): it runs from 0 to rise+fall-1, the
// server is UP from `rise` on; a failure while UP only counts down to rise, the next one drops it
// to 0 (DOWN); a success while DOWN counts up, and reaching `rise` jumps to the top (fully UP).
import type { ServerModel } from '../config/model';
import type { CheckResult, CheckStatusCode } from './check-status';
import type { AdminState, OperState, ServerStatus } from './types';

const ADMIN_RANK: Readonly<Record<AdminState, number>> = { READY: 0, DRAIN: 1, MAINT: 2 };

/** slowstart never starts a server at weight 0: HAProxy's first step is 1% */
const SLOWSTART_MIN_PCT = 1;

export class ServerState {
  model: ServerModel;
  /** admin state set by the operator (config `disabled`, runtime API) */
  admin: AdminState;
  /** admin state set by the agent (`drain`, `maint`, `ready`) */
  agentAdmin: AdminState = 'READY';
  weight: number;
  readonly initialWeight: number;
  /** agent's `NN%`, applied to the configured weight; null = none received */
  agentPct: number | null = null;
  health: number;
  agentHealth: number;
  checkEnabled: boolean;
  agentEnabled: boolean;
  checkStatus: CheckStatusCode | '';
  checkCode: number | null = null;
  checkDurationMs: number | null = null;
  checkDesc = '';
  lastChange: number;
  private downSince: number | null = null;
  private downtimeBefore = 0;
  chkfail = 0;
  chkdown = 0;
  /** consecutive errors seen by passive observation */
  observedErrors = 0;
  /** when set, checks run at fastinter until the next success (on-error fastinter) */
  fastUntilSuccess = false;
  /** start of the slowstart ramp, or null when not ramping */
  rampStart: number | null = null;
  /** NOLB: UP, but its last check conditionally passed (`http-check disable-on-404` got a 404) */
  stopping = false;
  /** `init-addr ... none` found no address at startup: HAProxy's resolution MAINT (RMAINT) */
  resolutionMaint = false;
  deleted = false;
  /** added at runtime (`add server`): workers learn its model from the state messages */
  dynamic = false;

  constructor(
    readonly backend: string,
    readonly backendId: number,
    model: ServerModel,
    readonly hasAgent: boolean,
    now: number,
  ) {
    this.model = model;
    this.admin = model.disabled ? 'MAINT' : 'READY';
    this.weight = model.weight;
    this.initialWeight = model.weight;
    // A checked server starts UP at health `rise`: one failed check is enough to mark it DOWN.
    this.health = model.check.rise;
    this.agentHealth = model.check.rise;
    this.checkEnabled = model.check.enabled;
    this.agentEnabled = hasAgent;
    this.checkStatus = model.check.enabled ? 'INI' : '';
    this.lastChange = now;
  }

  get rise(): number {
    return this.model.check.rise;
  }
  get fall(): number {
    return this.model.check.fall;
  }

  get effectiveAdmin(): AdminState {
    if (this.resolutionMaint) return 'MAINT';
    return ADMIN_RANK[this.agentAdmin] > ADMIN_RANK[this.admin] ? this.agentAdmin : this.admin;
  }

  get checkUp(): boolean {
    return !this.checkEnabled || this.health >= this.rise;
  }

  get agentUp(): boolean {
    return !this.agentEnabled || this.agentHealth >= this.rise;
  }

  get oper(): OperState {
    return this.checkUp && this.agentUp ? 'UP' : 'DOWN';
  }

  /** weight after the agent's percentage, before slowstart */
  get baseWeight(): number {
    if (this.agentPct === null) return this.weight;
    return Math.min(256, Math.ceil((this.initialWeight * this.agentPct) / 100));
  }

  effectiveWeight(now: number): number {
    const base = this.baseWeight;
    const pct = this.throttle(now);
    // fractional on purpose: the balancers accept it, and a weight-1 server can still ramp
    return pct === null ? base : (base * pct) / 100;
  }

  /** slowstart: the percentage of its weight and maxconn a ramping server gets; null = not ramping */
  throttle(now: number): number | null {
    const ss = this.model.slowstart;
    if (this.rampStart === null || ss === null || ss <= 0) return null;
    const elapsed = now - this.rampStart;
    if (elapsed >= ss) return null;
    return Math.max(SLOWSTART_MIN_PCT, Math.floor((elapsed * 100) / ss));
  }

  ramping(now: number): boolean {
    const ss = this.model.slowstart;
    return this.rampStart !== null && ss !== null && now - this.rampStart < ss;
  }

  /** usable for traffic now (what "servers left" counts) */
  get usable(): boolean {
    return this.oper === 'UP' && !this.stopping && this.effectiveAdmin === 'READY' && this.baseWeight > 0;
  }

  /** HAProxy's status column (src/stats-proxy.c stats_fill_sv_computestate) */
  get statusText(): string {
    if (this.resolutionMaint) return 'MAINT (resolution)';
    if (this.effectiveAdmin === 'MAINT') return 'MAINT';
    const top = this.rise + this.fall - 1;
    const goingDown = this.checkEnabled && this.health < top;
    const upCount = `${this.health - this.rise + 1}/${this.fall}`;
    if (this.oper === 'DOWN') {
      if (this.agentEnabled && this.agentHealth === 0) return 'DOWN (agent)';
      if (this.checkEnabled && this.health === 0) return 'DOWN';
      if (this.checkEnabled || this.agentEnabled) return `DOWN ${this.health}/${this.rise}`;
      return 'DOWN';
    }
    if (this.stopping) return goingDown ? `NOLB ${upCount}` : 'NOLB';
    if (this.effectiveAdmin === 'DRAIN') {
      if (this.agentEnabled) return 'DRAIN (agent)';
      return goingDown ? `DRAIN ${upCount}` : 'DRAIN';
    }
    if (goingDown) return `UP ${upCount}`;
    return this.checkEnabled ? 'UP' : 'no check';
  }

  /** records an oper transition's bookkeeping (downtime, last change, slowstart ramp) */
  noteOper(before: OperState, now: number): void {
    const after = this.oper;
    if (before === after) return;
    this.lastChange = now;
    if (after === 'DOWN') {
      this.downSince = now;
      this.chkdown++;
      this.rampStart = null;
      this.stopping = false;
    } else {
      if (this.downSince !== null) this.downtimeBefore += now - this.downSince;
      this.downSince = null;
      this.rampStart = now;
    }
  }

  /** applies one probe result to the health counter; returns whether the counter moved */
  applyCheck(r: CheckResult): boolean {
    this.checkStatus = r.status;
    this.checkCode = r.code;
    this.checkDurationMs = r.durationMs;
    this.checkDesc = r.info;
    if (r.ok) {
      this.fastUntilSuccess = false;
      return this.succeed();
    }
    this.chkfail++;
    return this.fail();
  }

  succeed(): boolean {
    const h = up(this.health, this.rise, this.fall);
    const moved = h !== this.health;
    this.health = h;
    return moved;
  }

  fail(): boolean {
    const h = down(this.health, this.rise);
    const moved = h !== this.health;
    this.health = h;
    return moved;
  }

  /** the agent's own counter, same rules */
  agentSucceed(): boolean {
    const h = up(this.agentHealth, this.rise, this.fall);
    const moved = h !== this.agentHealth;
    this.agentHealth = h;
    return moved;
  }

  agentFail(): boolean {
    const h = down(this.agentHealth, this.rise);
    const moved = h !== this.agentHealth;
    this.agentHealth = h;
    return moved;
  }

  status(backendName: string, now: number): ServerStatus {
    return {
      backend: backendName,
      backendId: this.backendId,
      server: this.model.name,
      serverId: this.model.id,
      host: this.model.host,
      port: this.model.port,
      backup: this.model.backup,
      admin: this.effectiveAdmin,
      oper: this.oper,
      status: this.statusText,
      weight: this.weight,
      initialWeight: this.initialWeight,
      effectiveWeight: this.effectiveWeight(now),
      throttle: this.throttle(now),
      checkEnabled: this.checkEnabled,
      agentEnabled: this.agentEnabled,
      checkStatus: this.checkStatus,
      checkCode: this.checkCode,
      checkDurationMs: this.checkDurationMs,
      checkDesc: this.checkDesc,
      lastChange: this.lastChange,
      downtimeMs: this.downtimeBefore + (this.downSince === null ? 0 : now - this.downSince),
      chkfail: this.chkfail,
      chkdown: this.chkdown,
      checkHealth: this.health,
      configDisabled: this.model.disabled,
      agentConfigured: this.hasAgent,
    };
  }
}

function up(health: number, rise: number, fall: number): number {
  const top = rise + fall - 1;
  if (health >= top) return top;
  return health + 1 >= rise ? top : health + 1;
}

function down(health: number, rise: number): number {
  if (health <= 0) return 0;
  return health - 1 < rise ? 0 : health - 1;
}
