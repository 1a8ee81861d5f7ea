import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Clock } from './clock.ts';

describe('Clock', () => {
  let clock: Clock;
  const REAL_NOW = new Date('2026-11-01T10:00:00.000Z');
  beforeEach(() => {
    vi.useFakeTimers({ now: REAL_NOW, toFake: ['Date'] });
    clock = new Clock();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the real time until moved', () => {
    expect(clock.now()).toEqual(REAL_NOW);
  });

  it('moves forward and back, adding up', () => {
    clock.advance(90 * 60_000);
    clock.advance(-30 * 60_000);
    expect(clock.now().toISOString()).toBe('2026-11-01T11:00:00.000Z');
  });

  it('keeps ticking from where it was set', () => {
    clock.set(new Date('2027-03-26T00:00:00.000Z'));
    vi.setSystemTime(REAL_NOW.getTime() + 5_000);
    expect(clock.now().toISOString()).toBe('2027-03-26T00:00:05.000Z');
  });

  it('goes back to the real time on reset', () => {
    clock.set(new Date('2030-01-01T00:00:00.000Z'));
    clock.reset();
    expect(clock.now()).toEqual(REAL_NOW);
  });

  it('is one per app: moving one leaves another where it was', () => {
    const other = new Clock();
    clock.advance(3_600_000);
    expect(other.now()).toEqual(REAL_NOW);
  });
});
