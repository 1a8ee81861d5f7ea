// collectWhileIdle's policy, on fake timers: a collection only while idle, and only once the heap
// has grown by the threshold since the last one.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectWhileIdle } from './runtime.ts';

const MB = 2 ** 20;

describe('collectWhileIdle', () => {
  let heap: number;
  let idle: boolean;
  let collections: number;
  let stop: () => void;
  beforeEach(() => {
    vi.useFakeTimers();
    heap = 60 * MB;
    idle = true;
    collections = 0;
    stop = collectWhileIdle(() => idle, {
      everyMs: 1_000,
      growthBytes: 16 * MB,
      heapBytes: () => heap,
      collect: () => {
        collections++;
        heap = 62 * MB; // what the collection leaves
      },
    });
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('collects once the heap has grown by the threshold while the server is idle, and then only after it has grown again', () => {
    heap = 70 * MB;
    vi.advanceTimersByTime(5_000);
    expect(collections).toBe(0);
    heap = 76 * MB;
    vi.advanceTimersByTime(1_000);
    expect(collections).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(collections).toBe(1);
    heap = 78 * MB; // 16 MB above what the last collection left
    vi.advanceTimersByTime(1_000);
    expect(collections).toBe(2);
  });

  it('never collects while the server is busy, however far the heap grew', () => {
    idle = false;
    heap = 500 * MB;
    vi.advanceTimersByTime(60_000);
    expect(collections).toBe(0);
    idle = true;
    vi.advanceTimersByTime(1_000);
    expect(collections).toBe(1);
  });

  it('stops', () => {
    stop();
    heap = 500 * MB;
    vi.advanceTimersByTime(60_000);
    expect(collections).toBe(0);
  });
});
