import { describe, expect, it } from '@jest/globals';
import { checkHandlers, QUEUES } from './queues';

const noop = async () => undefined;
/** A processor for every queue of the catalogue, each handling exactly its named jobs. */
const complete = () =>
  Object.values(QUEUES).map((queue) => ({ queue: queue.name as string, handlers: Object.fromEntries(queue.jobs.map((job) => [job, noop])) }));

describe('the queue catalogue check run at start-up', () => {
  it('accepts one processor per queue handling each named job', () => {
    expect(checkHandlers(complete())).toEqual([]);
  });

  it('names a job without a handler', () => {
    const workers = complete();
    delete (workers.find((w) => w.queue === 'sla')!.handlers as Record<string, unknown>).sweep;
    expect(checkHandlers(workers)).toEqual(['job "sla/sweep" has no handler']);
  });

  it('names a handled job the catalogue does not know, a missing or doubled processor, an unknown queue', () => {
    const workers = complete();
    (workers.find((w) => w.queue === 'events')!.handlers as Record<string, unknown>).replay = noop;
    expect(checkHandlers(workers)).toEqual(['"events/replay" is handled but not named in the queue catalogue']);
    expect(checkHandlers(complete().filter((w) => w.queue !== 'surveys'))).toEqual(['queue "surveys" has 0 processors (one expected)']);
    expect(checkHandlers([...complete(), complete()[0]])).toEqual([`queue "${complete()[0].queue}" has 2 processors (one expected)`]);
    expect(checkHandlers([...complete(), { queue: 'mail', handlers: {} }])).toEqual(['processor of unknown queue "mail"']);
  });
});
