// The one IPC protocol between the primary and its cluster workers. Every message carries the
// generation (config version) it belongs to, so a worker of an old generation can ignore new state.
import type { Model } from './config/model';

export interface ListenerInfo {
  readonly proxy: string;
  readonly kind: 'http' | 'tcp';
  readonly address: string;
  readonly port: number;
  readonly front: string;
}

/** primary → worker */
export type ToWorker =
  | { readonly type: 'start'; readonly generation: number; readonly model: Model }
  /** graceful: stop accepting, finish in-flight requests, close idle connections, then exit */
  | { readonly type: 'stop'; readonly generation: number; readonly graceful: boolean };

/** worker → primary */
export type FromWorker =
  | { readonly type: 'listening'; readonly generation: number; readonly listeners: readonly ListenerInfo[] }
  /** the worker cannot serve (e.g. a bind failed); the primary must not respawn it in a loop */
  | { readonly type: 'fatal'; readonly generation: number; readonly message: string }
  | { readonly type: 'drained'; readonly generation: number };

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
    default:
      return false;
  }
}
