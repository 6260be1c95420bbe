// `sluice -c`: compile only. Like `haproxy -c`, problems go to stderr in the [ALERT]/[WARNING]
// format and the exit status says whether the configuration may be started.
import { formatCheckReport, formatDiagnostic, loadConfig } from '../config';
import { ROOT_CHECK_WARNING, runAsRootVerdict } from '../primary/run-as-root';
import { expandConfigPaths } from './config-files';

export const VALID_MESSAGE = 'Configuration file is valid';

/** Prints the report and returns the exit code: 0 valid (warnings allowed), 1 otherwise. */
export function runCheck(files: readonly string[], quiet: boolean, insecureRunAsRoot = false): number {
  const result = loadConfig(expandConfigPaths(files), process.env);
  const valid = result.model !== null;
  if (quiet) return valid ? 0 : 1;
  // The config module owns the wording of the report; the success line is ours to send to stdout.
  const problems = formatCheckReport(result, process.pid)
    .split('\n')
    .filter((l) => l !== '' && !l.includes(VALID_MESSAGE));
  // `sluice -f` would refuse to start this as root, yet the file is valid (and fine under another
  // user): a warning, not an error
  const uid = process.getuid?.() ?? null;
  if (result.model !== null && runAsRootVerdict(result.model.global, uid, insecureRunAsRoot) === 'refuse') {
    const d = { severity: 'warning', file: '', line: 0, col: 0, message: ROOT_CHECK_WARNING } as const;
    problems.push(formatDiagnostic(d, process.pid));
  }
  if (problems.length > 0) process.stderr.write(problems.join('\n') + '\n');
  if (valid) process.stdout.write(VALID_MESSAGE + '\n');
  return valid ? 0 : 1;
}
