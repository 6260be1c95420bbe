// The stats page's admin form is client input: its event log line names only servers that exist.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyAdminForm } from '../../../src/runtime/stats-admin';
import type { RuntimeServices } from '../../../src/runtime/services';

describe('stats page admin form', () => {
  it('logs the servers it acted on and only counts unknown names, never echoing them', () => {
    const logged: Record<string, unknown>[] = [];
    const set: string[] = [];
    const fake = {
      model: { backends: [{ name: 'be', id: 1 }] },
      log: { info: (o: Record<string, unknown>) => logged.push(o) },
      store: () => ({
        find: (_b: string, s: string) => (s === 's1' ? {} : undefined),
        setAdmin: (_b: string, s: string) => {
          set.push(s);
          return null;
        },
      }),
    };
    const body = new URLSearchParams([
      ['action', 'maint'],
      ['b', 'be'],
      ['s', 's1'],
      ['s', '<script>\u007f\u00e9'],
    ]).toString();
    assert.equal(applyAdminForm(body, fake as unknown as RuntimeServices), 'PART');
    assert.deepEqual(set, ['s1']);
    assert.deepEqual(logged, [
      { action: 'maint', backend: 'be', servers: ['s1'], unknown: 1, result: 'PART' },
    ]);
  });
});
