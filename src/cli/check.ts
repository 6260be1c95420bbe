// `sluice -c`: compile only. Like `haproxy -c`, problems go to stderr in the [ALERT]/[WARNING]
// format and the exit status says whether the configuration may be started.
import { formatCheckReport, loadConfig } from '../config';
import { expandConfigPaths } from './config-files';

export const VALID_MESSAGE = 'Configuration file is valid';

/** Prints the report and returns the exit code: 0 valid (warnings allowed), 1 otherwise. */
export function runCheck(files: readonly string[], quiet: boolean): number {
  const result = loadConfig(expandConfigPaths(files), process.env);
  const valid = result.model !== null;
  if (quiet) return valid ? 0 : 1;
  // The config module owns the wording of the report; the success line is ours to send to stdout.
  const problems = formatCheckReport(result, process.pid)
    .split('\n')
    .filter((l) => l !== '' && !l.includes(VALID_MESSAGE));
  if (problems.length > 0) process.stderr.write(problems.join('\n') + '\n');
  if (valid) process.stdout.write(VALID_MESSAGE + '\n');
  return valid ? 0 : 1;
}
