// The decision the primary takes before forking: refuse root without `user` unless opted in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAsRootVerdict } from '../../../src/primary/run-as-root';

describe('running as root', () => {
  const none = { user: null, insecureRunAsRoot: false };

  it('refuses uid 0 without user and without an opt-in', () => {
    assert.equal(runAsRootVerdict(none, 0, false), 'refuse');
  });

  it('starts with a warning when opted in by the keyword or the flag', () => {
    assert.equal(runAsRootVerdict({ ...none, insecureRunAsRoot: true }, 0, false), 'warn');
    assert.equal(runAsRootVerdict(none, 0, true), 'warn');
  });

  it('has nothing to say when user is set, whoever starts it', () => {
    assert.equal(runAsRootVerdict({ ...none, user: 'nobody' }, 0, false), 'ok');
    // an explicit `user root` is an explicit setting too
    assert.equal(runAsRootVerdict({ ...none, user: 'root' }, 0, false), 'ok');
  });

  it('has nothing to say for other users or where there are no uids', () => {
    for (const uid of [1, 1000, 65534, null]) {
      assert.equal(runAsRootVerdict(none, uid, false), 'ok');
      assert.equal(runAsRootVerdict({ ...none, insecureRunAsRoot: true }, uid, true), 'ok');
    }
  });
});
