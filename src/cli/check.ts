// `sluice -c`: compile only. Like `haproxy -c`, problems go to stderr in the [ALERT]/[WARNING]
// format and the exit status says whether the configuration may be started.
import pino from 'pino';
import { formatCheckReport, formatDiagnostic, loadConfig } from '../config';
import { hasListener, NO_LISTENER, type Model } from '../config/model';
import { createServerStateStore, INIT_ADDR_FAILED, initServerAddresses, loadServerStates } from '../health';
import { ROOT_CHECK_WARNING, runAsRootVerdict } from '../primary/run-as-root';
import { expandConfigPaths } from './config-files';

export const VALID_MESSAGE = 'Configuration file is valid';
const NO_LISTENER_MESSAGE = `${NO_LISTENER}: it would not start.`;

/** Prints the report and returns the exit code: 0 valid (warnings allowed), 1 otherwise. */
export async function runCheck(
  files: readonly string[],
  quiet: boolean,
  insecureRunAsRoot = false,
): Promise<number> {
  const result = loadConfig(expandConfigPaths(files), process.env);
  // As `haproxy -c`: a server name that no `init-addr` method gives an address to (the state
  // files read as at startup, the system resolver) makes the configuration unstartable.
  const unresolved = result.model === null ? NOTHING : await resolveServers(result.model);
  const valid = result.model !== null && unresolved.alerts.length === 0;
  // nothing to listen on: `sluice -f` would refuse to start. haproxy -c exits 2 for this; the
  // command line keeps to 0 (would start) and 1 (would not)
  const idle = valid && !hasListener(result.model);
  const status = valid && !idle ? 0 : 1;
  if (quiet) return status;
  // The config module owns the wording of the report; the success line is ours to send to stdout.
  const problems = formatCheckReport(result, process.pid)
    .split('\n')
    .filter((l) => l !== '' && !l.includes(VALID_MESSAGE));
  for (const message of unresolved.alerts) problems.push(line('alert', message));
  if (unresolved.alerts.length > 0) problems.push(line('alert', INIT_ADDR_FAILED));
  for (const message of unresolved.warnings) problems.push(line('warning', message));
  // `sluice -f` would refuse to start this as root, yet the file is valid (and fine under another
  // user): a warning, not an error
  const uid = process.getuid?.() ?? null;
  if (result.model !== null && runAsRootVerdict(result.model.global, uid, insecureRunAsRoot) === 'refuse') {
    problems.push(line('warning', ROOT_CHECK_WARNING));
  }
  if (idle) problems.push(line('alert', NO_LISTENER_MESSAGE));
  if (problems.length > 0) process.stderr.write(problems.join('\n') + '\n');
  if (status === 0) process.stdout.write(VALID_MESSAGE + '\n');
  return status;
}

const NOTHING = { alerts: [], warnings: [] };

/** what `init-addr` makes of every server: alerts stop the startup, warnings (a server started
 *  in maintenance for want of an address) do not */
async function resolveServers(model: Model): Promise<{ alerts: string[]; warnings: string[] }> {
  const store = createServerStateStore(model);
  loadServerStates(model, store);
  const warnings: string[] = [];
  // the startup logs these through pino: here they become [WARNING] lines of the report
  const log = pino(
    { level: 'warn', base: null, timestamp: false },
    { write: (json: string) => warnings.push((JSON.parse(json) as { msg: string }).msg) },
  );
  const alerts = await initServerAddresses(store, log);
  return { alerts, warnings };
}

function line(severity: 'alert' | 'warning', message: string): string {
  return formatDiagnostic({ severity, file: '', line: 0, col: 0, message }, process.pid);
}
