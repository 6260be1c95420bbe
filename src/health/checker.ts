// Runs the active checks of every server once per sluice instance (in the primary): one timer
// chain per server and per agent, never overlapping itself, at HAProxy's pace — `inter` while
// fully UP, `fastinter` while changing state (or after passive errors), `downinter` while DOWN.
import type { BackendModel } from '../config/model';
import type { Logger } from '../log';
import { agentJudge, parseAgentReply } from './agent-check';
import type { CheckResult } from './check-status';
import { buildCheckRequest, httpJudge } from './http-check';
import { probe, type ProbeTarget } from './probe';
import type { ServerState } from './server-state';
import type { ServerStateStoreImpl } from './store';

interface Task {
  readonly state: ServerState;
  readonly agent: boolean;
  timer: NodeJS.Timeout | null;
  running: boolean;
}

export class Checker {
  private readonly tasks = new Map<string, Task>();
  /** servers whose checks and agent were set up (a server with only an agent has no check task) */
  private readonly known = new WeakSet<ServerState>();
  private stopped = false;
  /** probes run so far (for tests and stats) */
  probes = 0;

  constructor(
    private readonly store: ServerStateStoreImpl,
    private readonly log?: Logger,
  ) {}

  start(): void {
    const states = this.store.states();
    states.forEach((s, i) => this.add(s, i, states.length));
    // servers added at runtime get their checks as they appear
    this.store.onUpdate((u) => {
      const s = this.store.state(u.backend, u.server);
      if (s !== undefined && !this.known.has(s)) this.add(s, 0, 1);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.tasks.values()) if (t.timer !== null) clearTimeout(t.timer);
    this.tasks.clear();
  }

  /** brings the next check forward (passive errors asked for fastinter) */
  reschedule(s: ServerState): void {
    const t = this.tasks.get(key(s, false));
    if (t === undefined || t.running || t.timer === null) return;
    clearTimeout(t.timer);
    this.arm(t, s.model.check.fastinter);
  }

  private add(s: ServerState, i: number, n: number): void {
    this.known.add(s);
    const agent = s.model.agent ?? null;
    const tasks: Task[] = [];
    if (s.model.check.enabled) tasks.push({ state: s, agent: false, timer: null, running: false });
    if (agent !== null) tasks.push({ state: s, agent: true, timer: null, running: false });
    for (const t of tasks) {
      this.tasks.set(key(s, t.agent), t);
      // spread the first checks over one interval, as HAProxy does, rather than all at once
      const inter = t.agent && agent !== null ? agent.inter : s.model.check.inter;
      this.arm(t, Math.floor((inter * i) / Math.max(1, n)));
    }
  }

  private arm(t: Task, delay: number): void {
    if (this.stopped) return;
    t.timer = setTimeout(() => void this.run(t), delay);
  }

  private async run(t: Task): Promise<void> {
    t.timer = null;
    const s = t.state;
    if (s.deleted) {
      this.tasks.delete(key(s, t.agent));
      return;
    }
    const enabled = t.agent ? s.agentEnabled : s.checkEnabled;
    // MAINT servers are not checked in HAProxy either; their checks resume when they leave it
    if (enabled && s.admin !== 'MAINT' && !s.resolutionMaint) {
      t.running = true;
      try {
        if (t.agent) await this.runAgent(s);
        else await this.runCheck(s);
      } catch (err) {
        // a probe never rejects; if one did, a check bug must not stop the other checks
        this.log?.error({ err, backend: s.backend, server: s.model.name }, 'health check failed internally');
      }
      t.running = false;
    }
    if (this.tasks.get(key(s, t.agent)) !== t) return;
    this.arm(t, this.nextDelay(s, t.agent));
  }

  private nextDelay(s: ServerState, agent: boolean): number {
    const c = s.model.check;
    if (agent) return s.model.agent?.inter ?? c.inter;
    if (s.fastUntilSuccess) return c.fastinter;
    if (s.health === 0) return c.downinter;
    if (s.health < s.rise + s.fall - 1) return c.fastinter;
    return c.inter;
  }

  private target(s: ServerState, be: BackendModel, agent: boolean): ProbeTarget {
    const c = s.model.check;
    const a = s.model.agent ?? null;
    const inter = agent && a !== null ? a.inter : c.inter;
    const tcheck = be.timeouts.check;
    // HAProxy: with `timeout check`, connect gets min(timeout connect, inter) and the reply
    // `timeout check`; without it, inter bounds both
    const connectTimeoutMs = tcheck !== null ? Math.min(be.timeouts.connect ?? inter, inter) : inter;
    const host = agent ? (a?.addr ?? c.addr ?? s.model.host) : (c.addr ?? s.model.host);
    const port = agent && a !== null ? a.port : (c.port ?? s.model.port);
    return { host, port, connectTimeoutMs, readTimeoutMs: tcheck ?? inter };
  }

  private async runCheck(s: ServerState): Promise<void> {
    const be = this.store.backendModel(s.backend);
    if (be === undefined) return;
    const t = this.target(s, be, false);
    const hc = be.httpCheck;
    this.probes++;
    // option httpchk speaks HTTP to the server whatever the backend's mode, as in HAProxy
    const r: CheckResult =
      hc !== null
        ? await probe(t, buildCheckRequest(hc), httpJudge(hc, s.oper === 'UP'), 'L7TOUT')
        : await probe(t, null, null, 'L4TOUT');
    if (!s.deleted) this.store.reportCheck(s.backend, s.model.name, r);
  }

  private async runAgent(s: ServerState): Promise<void> {
    const be = this.store.backendModel(s.backend);
    const a = s.model.agent ?? null;
    if (be === undefined || a === null) return;
    const send = a.send === null ? null : Buffer.from(a.send, 'latin1');
    this.probes++;
    const r = await probe(this.target(s, be, true), send, agentJudge, 'L7TOUT');
    if (s.deleted) return;
    this.store.reportAgent(s, r, r.ok ? parseAgentReply(r.info) : null);
  }
}

function key(s: ServerState, agent: boolean): string {
  return `${agent ? 'agent' : 'check'} ${s.backend}/${s.model.name}`;
}
