// The `sluice` command. bin/sluice.js calls main(); everything it needs is decided from argv here.
import { parseArgs, USAGE } from './args';
import type { CliOptions } from './args';
import { versionText } from './version';

/** Exit status for command-line misuse, as getopt-style tools use. */
export const EXIT_USAGE = 2;

function fail(err: unknown): void {
  process.stderr.write(`sluice: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}

// Loaded on demand so that -v and -h work even when the proxy itself cannot load (e.g. a
// half-installed build), and stay fast.
async function check(opts: CliOptions): Promise<void> {
  const { runCheck } = await import('./check');
  process.exitCode = await runCheck(opts.files, opts.quiet, opts.insecureRunAsRoot);
}

async function run(opts: CliOptions): Promise<void> {
  // Must be set before the first logger exists; workers inherit it through the environment.
  if (opts.debug) process.env.SLUICE_LOG_LEVEL = 'debug';
  const { runPrimary } = await import('../primary');
  runPrimary({ files: opts.files, workers: opts.workers, insecureRunAsRoot: opts.insecureRunAsRoot });
}

export function main(argv: string[]): void {
  if (argv[0] === 'cli') {
    // talks to a running instance's stats socket: none of the proxy's options apply
    import('./runtime-client')
      .then(async (m) => {
        process.exitCode = await m.runCli(argv.slice(1));
      })
      .catch(fail);
    return;
  }
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`sluice: ${parsed.error}\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const opts = parsed.options;
  switch (opts.command) {
    case 'help':
      process.stdout.write(USAGE);
      return;
    case 'version':
      process.stdout.write(versionText(opts.verbosity));
      return;
    case 'check':
      check(opts).catch(fail);
      return;
    case 'run':
      run(opts).catch(fail);
      return;
  }
}
