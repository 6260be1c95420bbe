// The one IPC protocol between the primary and its cluster workers. Every message carries the
// generation (config version) it belongs to, so a worker of an old generation can ignore new state.
import type { Model, ServerModel } from './config/model';
import type { WorkerSnapshot } from './stats/snapshot';

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
  /** slowstart: % of the server's maxconn admitted while it ramps; absent = 100 */
  readonly throttle?: number;
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
  /** for an error: HAProxy's analyze status text ("Wrong http response", ...) */
  readonly reason?: string;
}

/** A request to a built-in HTTP service, rendered by the primary from every worker's counters. */
export interface ServiceRequest {
  readonly service: 'prometheus-exporter' | 'stats';
  readonly frontend: string;
  /** the request target (path and query) */
  readonly url: string;
  readonly method: string;
  /** the request may use `stats admin` actions */
  readonly admin: boolean;
  /** url-encoded form body of an admin POST, else '' */
  readonly body: string;
}

export interface ServiceReply {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: string;
}

/** Runtime API changes that live in workers only (the server state store handles the rest). */
export type RuntimeOp =
  | {
      readonly kind: 'maxconn-server';
      readonly backend: string;
      readonly server: string;
      readonly value: number;
    }
  | { readonly kind: 'maxconn-frontend'; readonly frontend: string; readonly value: number }
  | { readonly kind: 'maxconn-global'; readonly value: number }
  | { readonly kind: 'shutdown-sessions'; readonly backend: string; readonly server: string };

/** primary → worker */
export type ToWorker =
  | { readonly type: 'start'; readonly generation: number; readonly model: Model }
  /** server states: a full snapshot after 'listening', then every change */
  | {
      readonly type: 'server-state';
      readonly generation: number;
      readonly updates: readonly ServerStateUpdate[];
    }
  /** graceful: stop accepting, finish in-flight requests, close idle connections, then exit */
  | { readonly type: 'stop'; readonly generation: number; readonly graceful: boolean }
  /** runtime API: report a statistics snapshot (answered with 'stats-reply', same id) */
  | { readonly type: 'stats-request'; readonly generation: number; readonly id: number }
  /** runtime API: `clear counters` (peaks only) or `clear counters all` */
  | { readonly type: 'stats-clear'; readonly generation: number; readonly all: boolean }
  /** answer to a worker's 'stats-render' (stats page, Prometheus exporter) */
  | {
      readonly type: 'stats-answer';
      readonly generation: number;
      readonly id: number;
      readonly reply: ServiceReply;
    }
  /** runtime API: limits and session kills applied in every worker */
  | { readonly type: 'runtime-op'; readonly generation: number; readonly op: RuntimeOp };

/** worker → primary */
export type FromWorker =
  | { readonly type: 'listening'; readonly generation: number; readonly listeners: readonly ListenerInfo[] }
  /** the worker cannot serve (e.g. a bind failed); the primary must not respawn it in a loop */
  | { readonly type: 'fatal'; readonly generation: number; readonly message: string }
  | { readonly type: 'drained'; readonly generation: number }
  /** passive health observations, batched */
  | { readonly type: 'observe'; readonly generation: number; readonly events: readonly ObserveEvent[] }
  | {
      readonly type: 'stats-reply';
      readonly generation: number;
      readonly id: number;
      readonly snapshot: WorkerSnapshot;
    }
  /** a frontend serves the stats page or the Prometheus exporter: the primary renders it */
  | {
      readonly type: 'stats-render';
      readonly generation: number;
      readonly id: number;
      readonly request: ServiceRequest;
    };

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
    typeof r.status === 'number' &&
    (r.reason === undefined || typeof r.reason === 'string')
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
    (r.throttle === undefined || typeof r.throttle === 'number') &&
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
    case 'stats-reply':
      return typeof r.id === 'number' && record(r.snapshot) !== null;
    case 'stats-render': {
      const q = record(r.request);
      return (
        typeof r.id === 'number' && q !== null && typeof q.url === 'string' && typeof q.body === 'string'
      );
    }
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
    case 'stats-request':
      return typeof r.id === 'number';
    case 'stats-clear':
      return typeof r.all === 'boolean';
    case 'stats-answer': {
      const a = record(r.reply);
      return (
        typeof r.id === 'number' && a !== null && typeof a.status === 'number' && typeof a.body === 'string'
      );
    }
    case 'runtime-op':
      return record(r.op) !== null && typeof record(r.op)?.kind === 'string';
    default:
      return false;
  }
}
