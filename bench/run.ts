// `npm run bench -- [scenario...] [options]`: the CLI parses argv and calls runBench(), which the
// smoke test calls directly. See docs/benchmarks.md.
import type { BenchOptions } from './options';
import { defaultOptions, parseBenchArgs, smokeOptions, USAGE } from './options';
import type { BenchResult } from './results';
import { markdownSummary } from './report/markdown';
import { writeResults } from './report/write';
import type { WrittenFiles } from './report/write';
import { SCENARIOS } from './scenarios';
import { runSuite } from './suite';

export type { BenchOptions } from './options';
export type { BenchResult } from './results';

export interface BenchOutput {
  readonly result: BenchResult;
  readonly files: WrittenFiles;
}

/** Runs the benchmark; options not given take their defaults (smoke: true applies the smoke set). */
export async function runBench(options: Partial<BenchOptions> = {}): Promise<BenchOutput> {
  let o: BenchOptions = { ...defaultOptions(), ...options };
  if (o.smoke) o = smokeOptions(o);
  const result = await runSuite(o);
  const files = writeResults(result, o.resultsDir);
  return { result, files };
}

async function cli(argv: readonly string[]): Promise<number> {
  const parsed = parseBenchArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`bench: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (parsed.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.id.padEnd(12)} ${s.title}: ${s.measures}\n`);
    return 0;
  }
  const { result, files } = await runBench(parsed.options);
  process.stdout.write('\n' + markdownSummary(result) + '\n');
  process.stdout.write(`results: ${files.json}\n         ${files.markdown}\n         ${files.svg}\n`);
  return 0;
}

if (require.main === module) {
  // Exit (and so run the hook that kills our children) on Ctrl-C and kill.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
