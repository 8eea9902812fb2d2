import { describe, expect, it } from 'vitest';
import type { ActionHandle } from '../../deployers/deployer.ts';
import { type ActionObserver, type ObservedAction, Observations } from './observer.ts';

const action = { action: 'deploy', version: 'B', traffic: 100 } as unknown as ObservedAction;

/** An observer that writes each hook it gets into `log`, or stays out when `skip`. */
function probe(name: string, log: string[], skip = false): ActionObserver {
  return {
    name,
    attach: () => {
      log.push(`${name} attach`);
      if (skip) return undefined;
      return {
        started: () => void log.push(`${name} started`),
        ended: async () => void log.push(`${name} ended`),
        completed: (o) => void log.push(`${name} completed ${'done' in o ? 'done' : 'not done'}`),
      };
    },
  };
}

describe('the observers of a deployer action', () => {
  it('attach in order, and get each hook in that order; one with nothing to watch gets none', async () => {
    const log: string[] = [];
    const o = await Observations.attach([probe('a', log), probe('b', log, true), probe('c', log)], action);
    o.started({} as ActionHandle);
    await o.ended();
    await o.completed({ done: true });
    expect(log).toEqual([
      'a attach',
      'b attach',
      'c attach',
      'a started',
      'c started',
      'a ended',
      'c ended',
      'a completed done',
      'c completed done',
    ]);
  });

  it('an observer with only some hooks is fine', async () => {
    const log: string[] = [];
    const o = await Observations.attach([{ name: 'only-ended', attach: () => ({ ended: () => void log.push('ended') }) }], action);
    o.started({} as ActionHandle);
    await o.completed({ refused: 'unsafe' });
    await o.ended();
    expect(log).toEqual(['ended']);
  });
});
