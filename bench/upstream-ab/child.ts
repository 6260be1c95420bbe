// Runs one HTTP frontend in this process with the upstream client named in argv[2]
// ('sluice' or 'undici') and the config text in SLUICE_TEST_CFG; prints {"port"} when listening.
import { compileText } from '../../src/config';
import { createBackends } from '../../src/backend';
import { startHttpFrontend, upstreamPool } from '../../src/http';
import { logger } from '../../src/log';
import { UndiciClient } from './undici-client';

async function main(): Promise<void> {
  const which = process.argv[2];
  const result = compileText(process.env.SLUICE_TEST_CFG ?? '', 'ab.cfg', {});
  if (result.model === null) throw new Error('bad config');
  const model = result.model;
  const ctx = { generation: 1, model, backends: createBackends(model.backends), log: logger('ab') };
  const client = which === 'undici' ? new UndiciClient() : upstreamPool();
  const fe = model.frontends[0];
  if (fe === undefined) throw new Error('no frontend');
  const [l] = await startHttpFrontend(fe, ctx, client);
  process.stdout.write(JSON.stringify({ port: l?.port }) + '\n');
  // exit normally on a signal so that `node --cpu-prof` writes its profile
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(String(err) + '\n');
  process.exit(1);
});
