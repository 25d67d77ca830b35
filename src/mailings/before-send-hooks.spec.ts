import { DiscoveryService } from '@nestjs/core';
import { Clock, FakeClock } from '../common/clock';
import {
  BeforeSendContext,
  BeforeSendHook,
  BeforeSendReport,
  emptyReport,
} from './before-send-hook';
import { BeforeSendHooks } from './before-send-hooks';

const ctx = (deadlineInMs: number): BeforeSendContext => ({
  accountId: 1,
  mailingId: 7,
  targetGroups: [],
  deadline: new Date(Date.now() + deadlineInMs),
});

const hook = (
  name: string,
  beforeSend: (c: BeforeSendContext) => Promise<BeforeSendReport>,
): BeforeSendHook => ({ name, beforeSend });

const hooksOf = (hooks: BeforeSendHook[], clock: Clock = new Clock()) =>
  new BeforeSendHooks({} as DiscoveryService, hooks, clock);

describe('BeforeSendHooks', () => {
  it('runs every hook in order and merges their reports', async () => {
    const calls: string[] = [];
    const hooks = hooksOf([
      hook('a', async () => {
        calls.push('a');
        return { ...emptyReport(), synced: [{ webinarId: 1, jobId: 10 }] };
      }),
      hook('b', async () => {
        calls.push('b');
        return {
          synced: [],
          skipped: [{ webinarId: 2, reason: 'organizer inactive' }],
          warnings: [{ webinarId: 3, message: 'slow' }],
        };
      }),
    ]);
    const report = await hooks.run(ctx(1000));
    expect(calls).toEqual(['a', 'b']);
    expect(report).toEqual({
      synced: [{ webinarId: 1, jobId: 10 }],
      skipped: [{ webinarId: 2, reason: 'organizer inactive' }],
      warnings: [{ webinarId: 3, message: 'slow' }],
    });
  });

  it('turns a throwing hook into a warning and still runs the others', async () => {
    const hooks = hooksOf([
      hook('broken', async () => {
        throw new Error('database gone');
      }),
      hook('fine', async () => ({ ...emptyReport(), synced: [{ webinarId: 5, jobId: 50 }] })),
    ]);
    const report = await hooks.run(ctx(1000));
    expect(report.warnings).toEqual([
      { webinarId: null, message: 'broken: failed: database gone' },
    ]);
    expect(report.synced).toEqual([{ webinarId: 5, jobId: 50 }]);
  });

  describe('the overrun timer (Jest fake timers: no wall time)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('abandons a hook that overruns the deadline, after a grace of 1 s', async () => {
      const hooks = hooksOf([hook('stuck', () => new Promise<BeforeSendReport>(() => undefined))]);
      let report: BeforeSendReport | undefined;
      const running = hooks.run(ctx(50)).then((r) => (report = r));
      await jest.advanceTimersByTimeAsync(50 + 999);
      expect(report).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await running;
      expect(report?.warnings).toEqual([
        { webinarId: null, message: 'stuck: did not finish within the time budget' },
      ]);
    });

    it('reads the deadline on the injected clock, so a clock behind real time does not cut the budget', async () => {
      const clock = new FakeClock(new Date(Date.now() - 3_600_000));
      let finish!: () => void;
      const hooks = hooksOf(
        [
          hook(
            'slowish',
            () => new Promise<BeforeSendReport>((r) => (finish = () => r(emptyReport()))),
          ),
        ],
        clock,
      );
      const running = hooks.run({
        ...ctx(0),
        deadline: new Date(clock.now().getTime() + 2000),
      });
      // Longer than the grace alone: a deadline read on the real clock (an hour ago) is cut here.
      await jest.advanceTimersByTimeAsync(1200);
      finish();
      expect((await running).warnings).toEqual([]);
    });
  });

  it('with no hooks reports nothing', async () => {
    expect(await hooksOf([]).run(ctx(10))).toEqual(emptyReport());
  });
});
