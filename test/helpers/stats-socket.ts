// Talking to sluice's stats socket from tests: through socat (as operators do) when installed,
// or with a plain node:net client. Every exchange is bounded in time.
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** socat's address for a unix path or a "host:port" */
export function socatAddress(target: string): string {
  return target.startsWith('/') ? `UNIX-CONNECT:${target}` : `TCP:${target}`;
}

/** `echo "<input>" | socat -t 5 stdio <target>`: resolves with everything the socket sent */
export function socat(target: string, input: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('socat', ['-t', '5', 'stdio', socatAddress(target)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`socat timed out; got so far: ${out}`));
    }, timeoutMs);
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`socat exited ${code}: ${err}`));
    });
    p.stdin.end(input.endsWith('\n') ? input : input + '\n');
  });
}

/** the same exchange over node:net: writes `input`, half-closes, reads until the server closes */
export function netExchange(target: string, input: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const i = target.lastIndexOf(':');
    const sock = target.startsWith('/')
      ? connect(target)
      : connect({ host: target.slice(0, i), port: Number(target.slice(i + 1)) });
    let out = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no end of reply within ${timeoutMs} ms; got: ${out.slice(0, 500)}`));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.end(input));
    sock.on('data', (d: string) => (out += d));
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** `show stat` CSV → one object per line, keyed by column name */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = (lines.shift() ?? '').replace(/^# /, '').split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      if (h !== '') row[h] = cells[i] ?? '';
    });
    return row;
  });
}

export function findRow(rows: Record<string, string>[], px: string, sv: string): Record<string, string> {
  const r = rows.find((x) => x.pxname === px && x.svname === sv);
  if (r === undefined) throw new Error(`no row ${px}/${sv} in ${JSON.stringify(rows)}`);
  return r;
}
