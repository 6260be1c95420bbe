export {
  BackendRuntime,
  ServerRuntime,
  createBackends,
  newServerCounters,
  type AcquireCallback,
  type AcquireError,
  type AdminState,
  type OperState,
  type QueueTicket,
  type ServerCounters,
  type ServerSession,
} from './runtime';
