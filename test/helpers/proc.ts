// Process measurements from /proc (Linux).
import { readFileSync } from 'node:fs';

/** a field of /proc/<pid>/status in bytes (VmRSS = resident now, VmHWM = peak resident) */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (m === null) throw new Error(`${field} not found for pid ${pid}`);
  return Number(m[1]) * 1024;
}
