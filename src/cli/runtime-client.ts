// `sluice cli <socket|host:port> [--json] [command...]`: sends one command to a stats socket and
// prints the reply as it comes, or, without a command, opens an interactive prompt (with line
// editing and history) on one connection, as `socat readline` + `prompt` would.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';

export const CLI_USAGE = `Usage: sluice cli <socket-path|host:port> [--json] [command...]
  with a command: send it (several may be separated by ';'), print the reply, exit
  without one: interactive prompt; 'quit' or Ctrl-D leaves
  --json: ask for JSON output (show stat, show info)
`;

/** commands whose output has a json form, and where its keyword goes */
const JSON_CAPABLE = [/^show stat\b/, /^show info\b/];

export function withJson(command: string): string {
  return command
    .split(';')
    .map((c) => {
      const t = c.trim();
      return JSON_CAPABLE.some((re) => re.test(t)) && !/\bjson\b/.test(t) ? `${t} json` : t;
    })
    .join('; ');
}

export function open(target: string): Socket {
  if (target.includes('/')) return connect(target);
  const i = target.lastIndexOf(':');
  if (i <= 0) throw new Error(`'${target}' is neither a socket path nor host:port`);
  const host = target
    .slice(0, i)
    .replace(/^\[|\]$/g, '')
    .replace(/^ipv[46]@/, '');
  return connect({ host, port: Number(target.slice(i + 1)) });
}

function oneShot(sock: Socket, command: string): Promise<number> {
  return new Promise((resolve) => {
    sock.on('connect', () => sock.end(command + '\n'));
    sock.on('data', (d: Buffer) => process.stdout.write(d));
    sock.on('error', (err) => {
      process.stderr.write(`sluice cli: ${err.message}\n`);
      resolve(1);
    });
    sock.on('close', (hadError) => {
      if (!hadError) resolve(0);
    });
  });
}

function interactive(sock: Socket): Promise<number> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY,
      historySize: 500,
    });
    sock.on('connect', () => sock.write('prompt\n'));
    sock.on('data', (d: Buffer) => process.stdout.write(d));
    sock.on('error', (err) => {
      process.stderr.write(`sluice cli: ${err.message}\n`);
      rl.close();
      resolve(1);
    });
    sock.on('close', () => {
      rl.close();
      resolve(0);
    });
    rl.on('line', (line) => sock.write(line + '\n'));
    rl.on('close', () => sock.end('quit\n'));
  });
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const target = rest.shift();
  if (target === undefined || target === '-h' || target === '--help') {
    process.stderr.write(CLI_USAGE);
    return target === undefined ? 2 : 0;
  }
  let sock: Socket;
  try {
    sock = open(target);
  } catch (err) {
    process.stderr.write(`sluice cli: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (rest.length === 0) return interactive(sock);
  const command = rest.join(' ');
  return oneShot(sock, json ? withJson(command) : command);
}
