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

export function isFromWorker(m: unknown): m is FromWorker {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

export function isToWorker(m: unknown): m is ToWorker {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
