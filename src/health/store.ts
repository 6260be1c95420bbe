// The primary's server state store: the one place that decides whether a server takes traffic.
// Checks and passive observations feed it, the runtime API steers it, and every change goes out
// to listeners (the worker broadcast among them). Transitions are logged with HAProxy's wording.
import type { BackendModel, Model, ServerModel } from '../config/model';
import type { Logger } from '../log';
import type { ServerStateUpdate } from '../ipc';
import { describeResult, type CheckResult } from './check-status';
import { ServerState } from './server-state';
import type { AgentReply } from './agent-check';
import type { AdminState, ServerStateStore, ServerStatus } from './types';

export type ChangeListener = (backend: string, server: string, status: ServerStatus | null) => void;

export interface StoreOptions {
  readonly log?: Logger;
  readonly now?: () => number;
}

interface BackendEntry {
  readonly model: BackendModel;
  readonly servers: Map<string, ServerState>;
}

export class ServerStateStoreImpl implements ServerStateStore {
  private readonly backends = new Map<string, BackendEntry>();
  private readonly listeners: ChangeListener[] = [];
  private readonly updateListeners: ((u: ServerStateUpdate) => void)[] = [];
  private readonly log: Logger | undefined;
  readonly now: () => number;

  constructor(model: Model, opts: StoreOptions = {}) {
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    const t = this.now();
    for (const b of model.backends) {
      const servers = new Map<string, ServerState>();
      for (const s of b.servers) servers.set(s.name, new ServerState(b.name, b.id, s, hasAgent(s), t));
      this.backends.set(b.name, { model: b, servers });
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  list(): readonly ServerStatus[] {
    const t = this.now();
    const out: ServerStatus[] = [];
    for (const [name, b] of this.backends) for (const s of b.servers.values()) out.push(s.status(name, t));
    return out;
  }

  find(backend: string, server: string): ServerStatus | undefined {
    return this.state(backend, server)?.status(backend, this.now());
  }

  /** the live record, for checkers and tests in this subsystem */
  state(backend: string, server: string): ServerState | undefined {
    return this.backends.get(backend)?.servers.get(server);
  }

  states(): ServerState[] {
    const out: ServerState[] = [];
    for (const b of this.backends.values()) out.push(...b.servers.values());
    return out;
  }

  backendModel(backend: string): BackendModel | undefined {
    return this.backends.get(backend)?.model;
  }

  /** what workers need to mirror one server */
  update(s: ServerState): ServerStateUpdate {
    const throttle = s.throttle(this.now());
    return {
      backend: s.backend,
      server: s.model.name,
      admin: s.effectiveAdmin,
      oper: s.oper,
      // NOLB: still UP, but the balancers must not pick it for new traffic
      weight: s.stopping ? 0 : s.effectiveWeight(this.now()),
      host: s.model.host,
      port: s.model.port,
      ...(throttle !== null ? { throttle } : {}),
      ...(s.dynamic ? { model: s.model } : {}),
      ...(s.deleted ? { deleted: true } : {}),
    };
  }

  /** like onChange, with the message workers need */
  onUpdate(listener: (u: ServerStateUpdate) => void): void {
    this.updateListeners.push(listener);
  }

  /** every server, for a worker that just started; runtime-added servers carry their model */
  snapshot(): ServerStateUpdate[] {
    return this.states().map((s) => this.update(s));
  }

  // ---- steering (runtime API) ------------------------------------------------------------------

  setAdmin(backend: string, server: string, state: AdminState): string | null {
    const s = this.state(backend, server);
    if (s === undefined) return noServer(backend, server);
    if (s.admin === state) return null;
    const before = s.effectiveAdmin;
    const oper = s.oper;
    s.admin = state;
    this.adminChanged(s, before, oper);
    return null;
  }

  setWeight(backend: string, server: string, weight: number): string | null {
    const s = this.state(backend, server);
    if (s === undefined) return noServer(backend, server);
    if (!Number.isInteger(weight) || weight < 0 || weight > 256) return 'Weight must be between 0 and 256.\n';
    s.weight = weight;
    // an explicit weight overrides what the agent said, as `set weight` does in HAProxy
    s.agentPct = null;
    this.changed(s);
    return null;
  }

  setAddr(backend: string, server: string, host: string, port: number | null): string | null {
    const s = this.state(backend, server);
    if (s === undefined) return noServer(backend, server);
    if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) return 'Invalid port.\n';
    const from = `${s.model.host}:${s.model.port}`;
    s.model = { ...s.model, host, port: port ?? s.model.port };
    this.log?.info(
      { backend, server, from, to: `${s.model.host}:${s.model.port}` },
      `${backend}/${server} changed its IP from ${from} to ${s.model.host}:${s.model.port} by 'stats socket command'`,
    );
    if (s.resolutionMaint) {
      // an address from the operator ends the maintenance a failed startup resolution caused
      const before = s.effectiveAdmin;
      s.resolutionMaint = false;
      this.adminChanged(s, before, s.oper);
      return null;
    }
    this.changed(s);
    return null;
  }

  setHealthEnabled(backend: string, server: string, enabled: boolean): string | null {
    const s = this.state(backend, server);
    if (s === undefined) return noServer(backend, server);
    if (enabled && !s.model.check.enabled) return 'Server has no check configured.\n';
    const oper = s.oper;
    s.checkEnabled = enabled;
    this.operMaybeChanged(s, oper, null);
    this.changed(s);
    return null;
  }

  setAgentEnabled(backend: string, server: string, enabled: boolean): string | null {
    const s = this.state(backend, server);
    if (s === undefined) return noServer(backend, server);
    if (enabled && !s.hasAgent) return 'Server has no agent check configured.\n';
    const oper = s.oper;
    s.agentEnabled = enabled;
    this.operMaybeChanged(s, oper, null);
    this.changed(s);
    return null;
  }

  addServer(backend: string, model: ServerModel): string | null {
    const b = this.backends.get(backend);
    if (b === undefined) return `No such backend.\n`;
    if (b.servers.has(model.name)) return `Already exists a server with the same name in backend.\n`;
    const s = new ServerState(backend, b.model.id, model, hasAgent(model), this.now());
    s.dynamic = true;
    b.servers.set(model.name, s);
    this.log?.info({ backend, server: model.name }, `New server registered.`);
    this.emit(s);
    return null;
  }

  delServer(backend: string, server: string): string | null {
    const b = this.backends.get(backend);
    const s = b?.servers.get(server);
    if (b === undefined || s === undefined) return noServer(backend, server);
    if (s.admin !== 'MAINT') return 'Only servers in maintenance mode can be deleted.\n';
    b.servers.delete(server);
    s.deleted = true;
    this.log?.info({ backend, server }, `Server deleted.`);
    this.emit(s);
    return null;
  }

  // ---- startup (init-addr) ---------------------------------------------------------------------

  /** `init-addr ... none`: no address at startup, so resolution MAINT until one is set */
  startUnresolved(s: ServerState): void {
    s.resolutionMaint = true;
    this.changed(s);
  }

  /** `init-addr <ip>`: the configured name did not resolve, this address stands in */
  startAt(s: ServerState, ip: string): void {
    s.model = { ...s.model, host: ip };
    this.changed(s);
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  // ---- fed by checks ---------------------------------------------------------------------------

  /** one active check result; logs what HAProxy logs and emits a change when anything moved */
  reportCheck(backend: string, server: string, r: CheckResult): void {
    const s = this.state(backend, server);
    if (s === undefined || !s.checkEnabled) return;
    const oper = s.oper;
    const moved = s.applyCheck(r);
    const reason = describeResult(r);
    if (!this.operMaybeChanged(s, oper, reason) && moved) this.logHealthCheck(s, r.ok, reason);
    // `http-check disable-on-404`: a 404 passes conditionally (NOLB), a full pass ends that
    if (s.oper === 'UP' && r.ok) this.setStopping(s, r.status === 'L7OKC', reason);
    this.changed(s);
  }

  /** enters or leaves NOLB, logged as HAProxy's srv_set_stopping / srv_set_running do */
  private setStopping(s: ServerState, stopping: boolean, reason: string): void {
    if (s.stopping === stopping) return;
    s.stopping = stopping;
    s.lastChange = this.now();
    if (s.effectiveAdmin === 'MAINT') return;
    const what = stopping ? 'is stopping' : 'is UP';
    this.log?.warn(
      { backend: s.backend, server: s.model.name, state: stopping ? 'NOLB' : 'UP' },
      `${this.serverName(s)} ${what}, ${reason}${this.more(s.backend, false)}`,
    );
    if (stopping) this.noServerLeft(s.backend);
  }

  /**
   * One agent answer (reply null: the agent could not be reached or did not answer in time).
   * Only an explicit down/fail/stopped counts against the server, as in HAProxy.
   */
  reportAgent(s: ServerState, r: CheckResult, reply: AgentReply | null): void {
    if (!s.agentEnabled) return;
    const name = `${s.backend}/${s.model.name}`;
    if (reply === null || reply.garbage) {
      s.chkfail++;
      const why =
        reply === null
          ? describeResult(r)
          : `reason: Layer7 invalid response, info: "Bad agent response: '${r.info.slice(0, 64)}'"`;
      this.log?.warn(
        { backend: s.backend, server: s.model.name },
        `Agent check for server ${name} failed, ${why}.`,
      );
      this.changed(s);
      return;
    }
    const oper = s.oper;
    const admin = s.effectiveAdmin;
    if (reply.weightPct !== null && reply.weightPct !== s.agentPct) {
      s.agentPct = reply.weightPct;
      this.log?.info(
        { backend: s.backend, server: s.model.name, weightPct: reply.weightPct },
        `${name} changed its weight from agent: ${reply.weightPct}%.`,
      );
    }
    if (reply.admin !== null) s.agentAdmin = reply.admin;
    const info = reply.desc === '' ? '' : `, info: "${reply.desc}"`;
    if (reply.oper === 'down') {
      s.chkfail++;
      if (s.agentFail() && !this.operMaybeChanged(s, oper, `reason: Agent reports DOWN${info}`)) {
        this.logHealthCheck(s, false, `reason: Agent reports DOWN${info}`, 'Agent check');
      }
    } else if (reply.oper === 'up') {
      if (s.agentSucceed() && !this.operMaybeChanged(s, oper, `reason: Agent reports UP${info}`)) {
        this.logHealthCheck(s, true, `reason: Agent reports UP${info}`, 'Agent check');
      }
    }
    if (admin !== s.effectiveAdmin) this.adminChanged(s, admin, s.oper);
    else this.changed(s);
  }

  /** a check that moved the counter without changing the state */
  logHealthCheck(s: ServerState, ok: boolean, reason: string, what = 'Health check'): void {
    const up = s.checkUp;
    const n = up ? `${s.health - s.rise + 1}/${s.fall}` : `${s.health}/${s.rise}`;
    this.log?.warn(
      { backend: s.backend, server: s.model.name, checkStatus: s.checkStatus },
      `${what} for server ${s.backend}/${s.model.name} ${ok ? 'succeeded' : 'failed'}, ${reason}, status: ${n} ${up ? 'UP' : 'DOWN'}.`,
    );
  }

  // ---- internals shared with the agent and passive modules -------------------------------------

  /** logs and records an oper transition; returns whether one happened */
  operMaybeChanged(s: ServerState, before: 'UP' | 'DOWN', reason: string | null): boolean {
    const after = s.oper;
    if (before === after) return false;
    s.noteOper(before, this.now());
    if (s.effectiveAdmin === 'MAINT') return true;
    const why = reason === null ? '' : `, ${reason}`;
    const down = after === 'DOWN';
    this.log?.warn(
      { backend: s.backend, server: s.model.name, state: after },
      `${this.serverName(s)} is ${after}${why}${this.more(s.backend, down)}`,
    );
    if (down) this.noServerLeft(s.backend);
    return true;
  }

  /** `Server web/s1`, or `Backup Server web/b1` as HAProxy names a backup in its logs */
  private serverName(s: ServerState): string {
    return `${s.model.backup ? 'Backup ' : ''}Server ${s.backend}/${s.model.name}`;
  }

  /**
   * HAProxy's srv_append_more: the servers left (or online), and the session counts, which are
   * always 0 here (the primary does not see sessions).
   */
  private more(backend: string, left: boolean): string {
    const { active, backup } = this.counts(backend);
    const onBackup = backup > 0 && active === 0 ? ' Running on backup.' : '';
    return left
      ? `. ${active} active and ${backup} backup servers left.${onBackup} 0 sessions active, 0 requeued, 0 remaining in queue.`
      : `. ${active} active and ${backup} backup servers online.${onBackup} 0 sessions requeued, 0 total in queue.`;
  }

  adminChanged(s: ServerState, before: AdminState, oper: 'UP' | 'DOWN'): void {
    const after = s.effectiveAdmin;
    const name = this.serverName(s);
    if (before !== after) {
      s.lastChange = this.now();
      if (after === 'MAINT') {
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: 'MAINT' },
          `${name} is going DOWN for maintenance${this.more(s.backend, true)}`,
        );
        this.noServerLeft(s.backend);
      } else if (after === 'DRAIN') {
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: 'DRAIN' },
          `${name} enters drain state.`,
        );
      } else if (before === 'MAINT') {
        if (s.oper === 'UP') s.rampStart = this.now();
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: s.oper },
          `${name} is ${s.oper} (leaving forced maintenance).`,
        );
      } else {
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: 'READY' },
          `${name} is UP/READY (leaving forced drain).`,
        );
      }
    }
    this.operMaybeChanged(s, oper, null);
    this.changed(s);
  }

  /** a change listeners must hear about */
  changed(s: ServerState): void {
    this.emit(s);
  }

  private emit(s: ServerState): void {
    const status = s.deleted ? null : s.status(s.backend, this.now());
    for (const l of this.listeners) l(s.backend, s.model.name, status);
    if (this.updateListeners.length === 0) return;
    const u = this.update(s);
    for (const l of this.updateListeners) l(u);
  }

  private counts(backend: string): { active: number; backup: number } {
    let active = 0;
    let backup = 0;
    for (const s of this.backends.get(backend)?.servers.values() ?? []) {
      if (!s.usable) continue;
      if (s.model.backup) backup++;
      else active++;
    }
    return { active, backup };
  }

  private noServerLeft(backend: string): void {
    const { active, backup } = this.counts(backend);
    if (active + backup === 0) this.log?.error({ backend }, `backend ${backend} has no server available!`);
  }
}

function hasAgent(s: ServerModel): boolean {
  return s.agent !== undefined && s.agent !== null;
}

function noServer(backend: string, server: string): string {
  return `No such server ${backend}/${server}.\n`;
}
