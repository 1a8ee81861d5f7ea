import { describe, expect, it } from 'vitest';
import { setImmediate as settle } from 'node:timers/promises';
import type { ExecutionResult } from 'graphql';
import type { Context } from '../context.ts';
import { DirectSender } from './sharedExecution.ts';

type Sink = NonNullable<Context['liveSink']>;

describe('DirectSender', () => {
  it("sends a group's execution that has already settled to a member reached after it settled", async () => {
    // A delivery round reaches a group's members in slices (events/stream.ts): the execution the
    // first member started has settled by the time a later slice reaches the others. Before,
    // those were queued behind it and sent only when some later execution settled: the last
    // event of a burst never reached them (bench:fanout counted it lost).
    const sent: [string, ExecutionResult][] = [];
    const sender = new DirectSender({ send: (sink, result) => sent.push([(sink as unknown as { id: string }).id, result]) });
    const member = (id: string) => ({ sink: { id } as unknown as Sink, results: [] });
    let finish!: (r: ExecutionResult) => void;
    const execution = new Promise<ExecutionResult>((resolve) => (finish = resolve));
    sender.push(member('first'), execution);
    finish({ data: { n: 1 } });
    await settle();
    expect(sent).toEqual([['first', { data: { n: 1 } }]]);
    sender.push(member('later'), execution);
    await settle();
    expect(sent).toEqual([
      ['first', { data: { n: 1 } }],
      ['later', { data: { n: 1 } }],
    ]);
  });

  it("keeps a member's results in order: a settled one waits for the pending one before it", async () => {
    const sent: ExecutionResult[] = [];
    const sender = new DirectSender({ send: (_sink, result) => sent.push(result) });
    const m = { sink: {} as Sink, results: [] };
    let finish!: (r: ExecutionResult) => void;
    const pending = new Promise<ExecutionResult>((resolve) => (finish = resolve));
    const done = Promise.resolve<ExecutionResult>({ data: { n: 2 } });
    sender.push({ sink: {} as Sink, results: [] }, done); // settles it
    await settle();
    sent.length = 0;
    sender.push(m, pending);
    sender.push(m, done);
    await settle();
    expect(sent).toEqual([]);
    finish({ data: { n: 1 } });
    await settle();
    expect(sent).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }]);
  });

  it('reports how long each pass sending settled results took: fan-out work outside the stream\'s rounds', async () => {
    const spent: number[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const sender = new DirectSender({ send: () => busy(2), spent: (ms) => spent.push(ms) });
    let finish!: (r: ExecutionResult) => void;
    const execution = new Promise<ExecutionResult>((resolve) => (finish = resolve));
    for (let i = 0; i < 3; i++) sender.push({ sink: {} as Sink, results: [] }, execution);
    expect(spent).toEqual([]);
    finish({ data: { n: 1 } });
    await settle();
    expect(spent).toHaveLength(1);
    expect(spent[0]).toBeGreaterThanOrEqual(6);
  });
});
