// The one IPC protocol between the primary and its cluster workers. Every message carries the
// generation (config version) it belongs to, so a worker of an old generation can ignore new state.
import type { Model, ServerModel } from './config/model';

export interface ListenerInfo {
  readonly proxy: string;
  readonly kind: 'http' | 'tcp';
  readonly address: string;
  readonly port: number;
  readonly front: string;
}

/** The live state of one server as the primary decided it (health checks, runtime API). */
export interface ServerStateUpdate {
  readonly backend: string;
  readonly server: string;
  readonly admin: 'READY' | 'DRAIN' | 'MAINT';
  readonly oper: 'UP' | 'DOWN';
  /** the weight balancers use now (slowstart and agent percentage applied) */
  readonly weight: number;
  readonly host: string;
  readonly port: number;
  /** set for a server added at runtime (`add server`): the worker creates it */
  readonly model?: ServerModel;
  /** the server was removed at runtime (`del server`) */
  readonly deleted?: boolean;
}

/** One outcome of live traffic to a server, for passive health checks (`observe`). */
export interface ObserveEvent {
  readonly backend: string;
  readonly server: string;
  readonly layer: 4 | 7;
  readonly ok: boolean;
  /** HTTP status for layer 7, 0 otherwise */
  readonly status: number;
}

/** primary → worker */
export type ToWorker =
  | { readonly type: 'start'; readonly generation: number; readonly model: Model }
  /** server states: a full snapshot after 'listening', then every change */
  | { readonly type: 'server-state'; readonly generation: number; readonly updates: readonly ServerStateUpdate[] }
  /** graceful: stop accepting, finish in-flight requests, close idle connections, then exit */
  | { readonly type: 'stop'; readonly generation: number; readonly graceful: boolean };

/** worker → primary */
export type FromWorker =
  | { readonly type: 'listening'; readonly generation: number; readonly listeners: readonly ListenerInfo[] }
  /** the worker cannot serve (e.g. a bind failed); the primary must not respawn it in a loop */
  | { readonly type: 'fatal'; readonly generation: number; readonly message: string }
  | { readonly type: 'drained'; readonly generation: number }
  /** passive health observations, batched */
  | { readonly type: 'observe'; readonly generation: number; readonly events: readonly ObserveEvent[] };

// IPC input is checked before use: a malformed message is a bug on the other side, and acting on
// half of one (a 'start' without a model) would fail far from its cause. The Model itself is
// trusted as produced by our own compiler; only its envelope is checked here.

function record(m: unknown): Record<string, unknown> | null {
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : null;
}

function isListenerInfo(v: unknown): v is ListenerInfo {
  const r = record(v);
  return (
    r !== null &&
    typeof r.proxy === 'string' &&
    (r.kind === 'http' || r.kind === 'tcp') &&
    typeof r.address === 'string' &&
    typeof r.port === 'number' &&
    typeof r.front === 'string'
  );
}

function isObserveEvent(v: unknown): v is ObserveEvent {
  const r = record(v);
  return (
    r !== null &&
    typeof r.backend === 'string' &&
    typeof r.server === 'string' &&
    (r.layer === 4 || r.layer === 7) &&
    typeof r.ok === 'boolean' &&
    typeof r.status === 'number'
  );
}

function isServerStateUpdate(v: unknown): v is ServerStateUpdate {
  const r = record(v);
  return (
    r !== null &&
    typeof r.backend === 'string' &&
    typeof r.server === 'string' &&
    (r.admin === 'READY' || r.admin === 'DRAIN' || r.admin === 'MAINT') &&
    (r.oper === 'UP' || r.oper === 'DOWN') &&
    typeof r.weight === 'number' &&
    typeof r.host === 'string' &&
    typeof r.port === 'number'
  );
}

export function isFromWorker(m: unknown): m is FromWorker {
  const r = record(m);
  if (r === null || typeof r.generation !== 'number') return false;
  switch (r.type) {
    case 'listening':
      return Array.isArray(r.listeners) && r.listeners.every(isListenerInfo);
    case 'fatal':
      return typeof r.message === 'string';
    case 'drained':
      return true;
    case 'observe':
      return Array.isArray(r.events) && r.events.every(isObserveEvent);
    default:
      return false;
  }
}

export function isToWorker(m: unknown): m is ToWorker {
  const r = record(m);
  if (r === null || typeof r.generation !== 'number') return false;
  switch (r.type) {
    case 'start': {
      const model = record(r.model);
      return model !== null && Array.isArray(model.frontends) && Array.isArray(model.backends);
    }
    case 'stop':
      return typeof r.graceful === 'boolean';
    case 'server-state':
      return Array.isArray(r.updates) && r.updates.every(isServerStateUpdate);
    default:
      return false;
  }
}
