// The checker against targets that cannot answer: a name the resolver does not know (a server
// name that resolved at startup and stops resolving: libc resolves it again at each check) is a
// logged, counted Layer 4 failure, checked again at `downinter`, never a hung check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServerStateStore } from '../../../src/health';
import { Checker } from '../../../src/health/checker';
import { checkModel, oneServer, serverModel } from '../../helpers/model';

function captureLog(): { lines: string[]; log: never } {
  const lines: string[] = [];
  const push = (_o: unknown, msg: string): number => lines.push(msg);
  return { lines, log: { info: push, warn: push, error: push, debug: () => undefined } as never };
}

test('a server name that no longer resolves: each check is a logged, counted Layer4 failure', async () => {
  const m = oneServer(
    serverModel({
      name: 's1',
      port: 80,
      // RFC 6761: never resolves
      host: 'nowhere.invalid',
      check: checkModel({ enabled: true, inter: 50, fastinter: 50, downinter: 50, rise: 1, fall: 1 }),
    }),
  );
  const { lines, log } = captureLog();
  const store = createServerStateStore(m, { log });
  const checker = new Checker(store, log);
  // every probe settles (its connect timeout is inter at worst) and the next one follows
  const failed3 = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`checks stalled: ${lines.join('; ')}`)), 10_000);
    store.onChange((_b, _s, st) => {
      if ((st?.chkfail ?? 0) < 3) return;
      clearTimeout(timer);
      resolve();
    });
  });
  checker.start();
  try {
    await failed3;
  } finally {
    checker.stop();
  }
  const st = store.find('web', 's1');
  assert.equal(st?.oper, 'DOWN');
  assert.equal(st?.chkdown, 1);
  // ENOTFOUND (or EAI_AGAIN when no resolver answers) is a connection problem; a resolver that
  // never answers within the check's connect timeout is a Layer4 timeout
  assert.ok(st?.checkStatus === 'L4CON' || st?.checkStatus === 'L4TOUT', st?.checkStatus);
  const down = lines.find((l) => l.startsWith('Server web/s1 is DOWN'));
  assert.match(
    down ?? lines.join('\n'),
    /^Server web\/s1 is DOWN, reason: Layer4 (connection problem, info: "Name resolution failed"|timeout), check duration: \d+ms\. 0 active/,
  );
  assert.ok(lines.includes('backend web has no server available!'), lines.join('\n'));
});
