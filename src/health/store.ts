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
    return {
      backend: s.backend,
      server: s.model.name,
      admin: s.effectiveAdmin,
      oper: s.oper,
      weight: s.effectiveWeight(this.now()),
      host: s.model.host,
      port: s.model.port,
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
    if (!this.operMaybeChanged(s, oper, describeResult(r)) && moved) {
      this.logHealthCheck(s, r.ok, describeResult(r));
    }
    this.changed(s);
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
    const { active, backup } = this.counts(s.backend);
    const name = `${s.backend}/${s.model.name}`;
    if (after === 'DOWN') {
      this.log?.warn(
        { backend: s.backend, server: s.model.name, state: 'DOWN' },
        `Server ${name} is DOWN${why}. ${active} active and ${backup} backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
      );
      this.noServerLeft(s.backend, active + backup);
    } else {
      this.log?.warn(
        { backend: s.backend, server: s.model.name, state: 'UP' },
        `Server ${name} is UP${why}. ${active} active and ${backup} backup servers online. 0 sessions requeued, 0 total in queue.`,
      );
    }
    return true;
  }

  adminChanged(s: ServerState, before: AdminState, oper: 'UP' | 'DOWN'): void {
    const after = s.effectiveAdmin;
    const name = `${s.backend}/${s.model.name}`;
    if (before !== after) {
      s.lastChange = this.now();
      const { active, backup } = this.counts(s.backend);
      if (after === 'MAINT') {
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: 'MAINT' },
          `Server ${name} is going DOWN for maintenance. ${active} active and ${backup} backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
        );
        this.noServerLeft(s.backend, active + backup);
      } else if (after === 'DRAIN') {
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: 'DRAIN' },
          `Server ${name} enters drain state.`,
        );
      } else if (before === 'MAINT') {
        if (s.oper === 'UP') s.rampStart = this.now();
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: s.oper },
          `Server ${name} is ${s.oper} (leaving forced maintenance).`,
        );
      } else {
        this.log?.warn(
          { backend: s.backend, server: s.model.name, state: 'READY' },
          `Server ${name} is UP/READY (leaving forced drain).`,
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

  private noServerLeft(backend: string, left: number): void {
    if (left === 0) this.log?.error({ backend }, `backend ${backend} has no server available!`);
  }
}

function hasAgent(s: ServerModel): boolean {
  return s.agent !== undefined && s.agent !== null;
}

function noServer(backend: string, server: string): string {
  return `No such server ${backend}/${server}.\n`;
}
