import { afterEach, describe, expect, it, vi } from 'vitest';
import { setImmediate as settle } from 'node:timers/promises';
import { WriteAdmission } from './writeAdmission.ts';

/** Enters `n` writes; records the order they are admitted in. */
function enterAll(gate: WriteAdmission, n: number) {
  const admitted: number[] = [];
  const leaves: (() => void)[] = [];
  for (let i = 0; i < n; i++) {
    void Promise.resolve(gate.enter()).then((leave) => {
      admitted.push(i);
      leaves[i] = leave;
    });
  }
  return { admitted, leaves };
}

describe('WriteAdmission', () => {
  afterEach(() => vi.useRealTimers());

  it('admits every write at once while delivery rounds are short', async () => {
    const gate = new WriteAdmission({ slowRoundMs: 10 });
    gate.delivered(2);
    const { admitted } = enterAll(gate, 5);
    await settle();
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
    expect(gate.serialised).toBe(false);
  });

  it('after slow rounds, admits one write at a time, in order, each once the one before has left', async () => {
    const gate = new WriteAdmission({ slowRoundMs: 10 });
    for (let i = 0; i < 5; i++) gate.delivered(120);
    expect(gate.serialised).toBe(true);
    const { admitted, leaves } = enterAll(gate, 3);
    await settle();
    expect(admitted).toEqual([0]);
    expect(gate.waiting).toBe(2);
    leaves[0]!();
    leaves[0]!(); // a second call counts once
    await settle();
    expect(admitted).toEqual([0, 1]);
    leaves[1]!();
    await settle();
    expect(admitted).toEqual([0, 1, 2]);
  });

  it('counts the fan-out work done outside the rounds (frames of settled shared executions) with them', () => {
    // At 10,000 subscribers a round's listener calls took 5–20 ms and the frames sent once the
    // group's execution settled another 10–30: counting the calls only, the gate opened whenever
    // the machine ran a little faster, and a burst's writes all went in at once.
    const gate = new WriteAdmission({ slowRoundMs: 10 });
    for (let i = 0; i < 10; i++) {
      gate.spent(12);
      gate.delivered(6);
    }
    expect(gate.serialised).toBe(true);
    // Counted once: a round with nothing spent since is measured by its own calls.
    for (let i = 0; i < 20; i++) gate.delivered(2);
    expect(gate.serialised).toBe(false);
  });

  it('one short round among slow ones does not let every waiting write in', async () => {
    const gate = new WriteAdmission({ slowRoundMs: 10 });
    for (let i = 0; i < 5; i++) gate.delivered(120);
    const { admitted, leaves } = enterAll(gate, 4);
    await settle();
    gate.delivered(1);
    leaves[0]!();
    await settle();
    expect(admitted).toEqual([0, 1]);
  });

  it('lets the waiting writes in once the rounds are short again', async () => {
    const gate = new WriteAdmission({ slowRoundMs: 10 });
    for (let i = 0; i < 5; i++) gate.delivered(120);
    const { admitted } = enterAll(gate, 4);
    await settle();
    expect(admitted).toEqual([0]);
    for (let i = 0; i < 20; i++) gate.delivered(1);
    await settle();
    expect(admitted).toEqual([0, 1, 2, 3]);
  });

  it('holds a write back no longer than maxWaitMs', async () => {
    vi.useFakeTimers();
    const gate = new WriteAdmission({ slowRoundMs: 10, maxWaitMs: 2_000 });
    for (let i = 0; i < 5; i++) gate.delivered(120);
    const { admitted, leaves } = enterAll(gate, 3);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(admitted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(admitted).toEqual([0, 1, 2]);
    expect(gate.waiting).toBe(0);
    // Those that went past the gate count as holders until they leave.
    leaves[0]!();
    leaves[1]!();
    const next = enterAll(gate, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(next.admitted).toEqual([]);
    leaves[2]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(next.admitted).toEqual([0]);
  });
});
