// Reads a server-state file (format version 1) into validated lines. Never throws: a file written
// by hand, truncated by a crash or produced by another HAProxy version yields problems, and every
// line that fails validation is reported and left out; the good ones still apply. (HAProxy stops
// reading at a line with the wrong number of fields; sluice skips that line only.)
import {
  ADMF,
  CHECK_STATUS_SIZE,
  CHK_RES,
  CHK_ST,
  OP,
  STATE_COLUMNS,
  STATE_FILE_VERSION,
  STATE_MIN_FIELDS,
} from './format';

export interface StateLine {
  /** 1-based line number in the file, for messages */
  readonly lineNo: number;
  readonly beId: number;
  readonly beName: string;
  readonly srvId: number;
  readonly srvName: string;
  readonly addr: string;
  readonly op: number;
  readonly admin: number;
  readonly uweight: number;
  readonly iweight: number;
  readonly secondsSinceChange: number;
  readonly checkStatus: number;
  readonly checkResult: number;
  readonly checkHealth: number;
  readonly checkState: number;
  readonly agentState: number;
  readonly bkForcedId: boolean;
  /** srv_port; null when the column is absent */
  readonly port: number | null;
}

export interface ParsedStateFile {
  /** null: no usable version line, nothing was read */
  readonly version: number | null;
  readonly lines: readonly StateLine[];
  /** one text per skipped line or unusable file, ready to log */
  readonly problems: readonly string[];
}

/** flags HAProxy recomputes itself (inherited maint/drain, resolver maint, fqdn changed) */
const INHERITED_ADMF = 0x02 | 0x10 | 0x20 | 0x80;
const VALID_ADMIN: ReadonlySet<number> = new Set([
  0,
  ADMF.FMAINT,
  ADMF.CMAINT,
  ADMF.CMAINT | ADMF.FMAINT,
  ADMF.CMAINT | ADMF.FDRAIN,
  ADMF.FDRAIN,
]);
const CHK_ST_ALL = CHK_ST.INPROGRESS | CHK_ST.CONFIGURED | CHK_ST.ENABLED | CHK_ST.PAUSED | CHK_ST.AGENT;
const MAX_WEIGHT = 256;

function int(v: string | undefined): number | null {
  if (v === undefined || !/^-?\d{1,15}$/.test(v)) return null;
  return Number(v);
}

export function parseStateFile(text: string): ParsedStateFile {
  const rows = text.split('\n');
  // a file that does not end with a newline was cut short: its last line cannot be trusted
  const truncated = rows.length > 0 && rows[rows.length - 1] !== '';
  if (!truncated) rows.pop();
  if (rows.length === 0) return { version: null, lines: [], problems: ['empty server state file'] };
  const head = rows[0] ?? '';
  if (int(head.trim()) !== STATE_FILE_VERSION || (rows.length === 1 && truncated)) {
    return { version: null, lines: [], problems: [`can't get version of the server state file`] };
  }
  const problems: string[] = [];
  const lines: StateLine[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < rows.length; i++) {
    const lineNo = i + 1;
    const raw = rows[i] ?? '';
    if (truncated && i === rows.length - 1) {
      problems.push(`line ${lineNo}: truncated line skipped`);
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const r = parseLine(trimmed.split(/[ \t]+/), lineNo);
    if (typeof r === 'string') {
      problems.push(`line ${lineNo}: ${r}; line skipped`);
      continue;
    }
    const key = `${r.beName} ${r.srvName}`;
    if (seen.has(key)) {
      problems.push(`line ${lineNo}: duplicate server '${r.beName}/${r.srvName}'; line skipped`);
      continue;
    }
    seen.add(key);
    lines.push(r);
  }
  return { version: STATE_FILE_VERSION, lines, problems };
}

/** a StateLine, or why the line is unusable */
function parseLine(f: readonly string[], lineNo: number): StateLine | string {
  if (f.length < STATE_MIN_FIELDS || f.length > STATE_COLUMNS.length) {
    return `corrupted line (${f.length} fields, expected ${STATE_MIN_FIELDS} to ${STATE_COLUMNS.length})`;
  }
  const bad: string[] = [];
  const num = (i: number, ok: (n: number) => boolean = () => true): number => {
    const n = int(f[i]);
    if (n === null || !ok(n)) {
      bad.push(`invalid ${STATE_COLUMNS[i] ?? '?'} value '${f[i] ?? ''}'`);
      return 0;
    }
    return n;
  };
  const flags = (n: number): boolean => n >= 0 && (n & ~CHK_ST_ALL) === 0;
  const line: StateLine = {
    lineNo,
    beId: num(0),
    beName: f[1] ?? '',
    srvId: num(2),
    srvName: f[3] ?? '',
    addr: f[4] ?? '-',
    op: num(5, (n) => n >= OP.STOPPED && n <= OP.STOPPING),
    admin: num(6, (n) => n >= 0 && VALID_ADMIN.has(n & ~INHERITED_ADMF)) & ~INHERITED_ADMF,
    uweight: num(7, (n) => n >= 0 && n <= MAX_WEIGHT),
    iweight: num(8, (n) => n >= 0 && n <= MAX_WEIGHT),
    secondsSinceChange: num(9, (n) => n >= 0),
    checkStatus: num(10, (n) => n >= 0 && n < CHECK_STATUS_SIZE),
    checkResult: num(11, (n) => n >= CHK_RES.UNKNOWN && n <= CHK_RES.CONDPASS),
    checkHealth: num(12),
    checkState: num(13, flags),
    agentState: num(14, flags),
    bkForcedId: num(15, (n) => n === 0 || n === 1) === 1,
    port: f[18] === undefined ? null : num(18, (n) => n >= 0 && n <= 65535),
  };
  num(16, (n) => n === 0 || n === 1);
  if (bad.length > 0) return `server '${line.beName}/${line.srvName}': ${bad.join(', ')}`;
  return line;
}
