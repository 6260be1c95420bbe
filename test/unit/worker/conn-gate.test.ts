import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { ConnGate, PARKED_MAX } from '../../../src/worker/conn-gate';

/** the part of a socket the gate touches */
class FakeSocket extends EventEmitter {
  destroyed = false;
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}
const fake = (): FakeSocket & Socket => new FakeSocket() as FakeSocket & Socket;

describe('ConnGate', () => {
  it('admits up to the limit, parks the rest in arrival order, and frees a slot on close', () => {
    const gate = new ConnGate(2);
    const started: number[] = [];
    const socks = [fake(), fake(), fake(), fake()];
    socks.forEach((s, i) => gate.enter(s, {}, () => started.push(i)));
    assert.deepEqual(started, [0, 1]);
    assert.equal(gate.active, 2);
    socks[1]?.destroy();
    assert.deepEqual(started, [0, 1, 2]);
    socks[0]?.destroy();
    assert.deepEqual(started, [0, 1, 2, 3]);
    assert.equal(gate.active, 2);
  });

  it('skips parked connections that closed while waiting', () => {
    const gate = new ConnGate(1);
    const started: string[] = [];
    const [a, gone, b] = [fake(), fake(), fake()];
    gate.enter(a, {}, () => started.push('a'));
    gate.enter(gone, {}, () => started.push('gone'));
    gate.enter(b, {}, () => started.push('b'));
    gone.destroy();
    a.destroy();
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(gate.active, 1);
  });

  it('closes what would overflow the stand-in backlog', () => {
    const gate = new ConnGate(0);
    const socks = Array.from({ length: PARKED_MAX + 1 }, fake);
    for (const s of socks) gate.enter(s, {}, () => assert.fail('started over a limit of 0'));
    assert.equal(socks.filter((s) => s.destroyed).length, 1);
    assert.equal(socks.at(-1)?.destroyed, true);
  });

  it('drops only the parked connections of a listener that stops accepting', () => {
    const gate = new ConnGate(0);
    const [l1, l2] = [{}, {}];
    const [a, b] = [fake(), fake()];
    gate.enter(a, l1, () => {});
    gate.enter(b, l2, () => {});
    assert.equal(gate.parkedOn(l1), 1);
    gate.dropParked(l1);
    assert.equal(a.destroyed, true);
    assert.equal(b.destroyed, false);
    assert.equal(gate.parkedOn(l1), 0);
    assert.equal(gate.parkedOn(l2), 1);
  });

  it('a raised limit admits parked connections at once; a lowered one closes nothing', () => {
    const gate = new ConnGate(1);
    const started: number[] = [];
    const socks = [fake(), fake(), fake()];
    socks.forEach((s, i) => gate.enter(s, {}, () => started.push(i)));
    gate.setLimit(3);
    assert.deepEqual(started, [0, 1, 2]);
    gate.setLimit(1);
    assert.equal(
      socks.some((s) => s.destroyed),
      false,
    );
    socks[0]?.destroy();
    assert.equal(gate.active, 2);
  });

  it('counts connections that cannot wait, refusing those over the limit', () => {
    const gate = new ConnGate(1);
    assert.equal(gate.enterNow(), true);
    assert.equal(gate.enterNow(), false);
    // the refused one closes: its leave() brings the count back
    gate.leave();
    assert.equal(gate.active, 1);
    const parked = fake();
    let started = false;
    gate.enter(parked, {}, () => (started = true));
    assert.equal(started, false);
    gate.leave();
    assert.equal(started, true);
  });
});
