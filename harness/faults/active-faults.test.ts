import { describe, expect, it } from 'vitest';
import { History, ofType } from '../core/history.ts';
import { ActiveFaults } from './active-faults.ts';
import type { Capability, FaultContext } from './fault.ts';
import { FAULTS } from './index.ts';

function setup(capabilities: Capability[] = []) {
  let now = 1_000;
  const history = new History(() => (now += 10));
  const installed: string[] = [];
  const ctx = {
    history,
    capabilities: new Set(capabilities),
    purgeApi: {
      setPurgeFault: (fn: unknown) => {
        installed.push(fn ? 'install' : 'remove');
      },
    },
  } as unknown as FaultContext;
  return { history, installed, faults: new ActiveFaults(() => ctx) };
}

describe('ActiveFaults', () => {
  it('records an inject with the fault, its id, area and label (params defaulted)', async () => {
    const { history, installed, faults } = setup();
    await faults.inject('purge-rate-limit', { retryAfterS: 5 });
    expect(faults.ids).toEqual(['purge-rate-limit']);
    expect(installed).toEqual(['install']);
    expect(ofType(history.events, 'fault')).toEqual([
      {
        t: expect.any(Number),
        type: 'fault',
        fault: 'purge-rate-limit',
        id: 'purge-rate-limit',
        area: 'purge-api',
        phase: 'inject',
        label: 'purge API rate-limits 2 requests (429, Retry-After 5 s)',
      },
    ]);
  });

  it('refuses a second inject under the same id, but takes it under its own id', async () => {
    const { faults } = setup();
    await faults.inject('purge-rate-limit', {});
    await expect(faults.inject('purge-rate-limit', {})).rejects.toThrow('fault "purge-rate-limit" is already injected');
    await faults.inject('purge-rate-limit', {}, 'second');
    expect(faults.ids).toEqual(['purge-rate-limit', 'second']);
  });

  it('refuses an unknown fault, listing the known ones, and bad params, recording nothing', async () => {
    const { history, installed, faults } = setup();
    await expect(faults.inject('disk-full', {})).rejects.toThrow(
      `unknown fault "disk-full" (known: ${FAULTS.map((f) => f.name).join(', ')})`,
    );
    await expect(faults.inject('purge-rate-limit', { retryAfterS: 0 })).rejects.toThrow();
    expect(faults.ids).toEqual([]);
    expect(installed).toEqual([]);
    expect(history.events).toEqual([]);
  });

  it('heals by id and records it; an unknown id names the injected ones', async () => {
    const { history, installed, faults } = setup();
    await expect(faults.heal('purge-late')).rejects.toThrow('no injected fault "purge-late" to heal (injected: none)');
    await faults.inject('purge-server-error', { status: 503 }, 'five-oh-three');
    await expect(faults.heal('purge-server-error')).rejects.toThrow(
      'no injected fault "purge-server-error" to heal (injected: five-oh-three)',
    );
    await faults.heal('five-oh-three');
    expect(faults.ids).toEqual([]);
    expect(installed).toEqual(['install', 'remove']);
    expect(ofType(history.events, 'fault').map((e) => [e.phase, e.id, e.fault, e.label])).toEqual([
      ['inject', 'five-oh-three', 'purge-server-error', 'purge API answers 503 to 2 requests'],
      ['heal', 'five-oh-three', 'purge-server-error', 'purge API answers 503 to 2 requests'],
    ]);
    await expect(faults.heal('five-oh-three')).rejects.toThrow('no injected fault');
  });

  it('healAll heals newest first and records each heal', async () => {
    const { history, faults } = setup();
    await faults.inject('purge-rate-limit', {});
    await faults.inject('purge-timeout', {});
    await faults.inject('purge-server-error', {});
    await faults.healAll();
    expect(faults.ids).toEqual([]);
    const heals = ofType(history.events, 'fault').filter((e) => e.phase === 'heal');
    expect(heals.map((e) => e.id)).toEqual(['purge-server-error', 'purge-timeout', 'purge-rate-limit']);
    await faults.healAll(); // nothing left: a no-op
    expect(ofType(history.events, 'fault')).toHaveLength(6);
  });

  it('healAll keeps healing after a heal fails, then throws the first error', async () => {
    const history = new History();
    let calls = 0;
    const flaky = {
      history,
      capabilities: new Set(),
      purgeApi: {
        setPurgeFault: (fn: unknown) => {
          if (!fn && calls++ === 0) throw new Error('control plane gone');
        },
      },
    } as unknown as FaultContext;
    const faults = new ActiveFaults(() => flaky);
    await faults.inject('purge-rate-limit', {}, 'one');
    await faults.inject('purge-rate-limit', {}, 'two');
    await expect(faults.healAll()).rejects.toThrow('control plane gone');
    expect(faults.ids).toEqual([]);
    // Both heals are recorded, the failed one too: neither fault is ours to heal again.
    expect(
      ofType(history.events, 'fault')
        .filter((e) => e.phase === 'heal')
        .map((e) => e.id),
    ).toEqual(['two', 'one']);
  });

  it('refuses a fault whose needs the run did not start, naming them and the Playwright option, recording nothing', async () => {
    const { history, faults } = setup();
    await expect(faults.inject('origin-latency', { ms: 5 })).rejects.toMatchObject({
      code: 'FAULT_NOT_SUPPORTED',
      message: 'fault origin-latency needs faultLayer, which this run did not start',
      hint: expect.stringContaining("skewFaults: ['origin-latency']"),
    });
    await expect(faults.inject('browser-bfcache', {})).rejects.toThrow('fault browser-bfcache needs bfcache');
    expect(faults.ids).toEqual([]);
    expect(history.events).toEqual([]);
  });
});
