/**
 * Test-only pause points (FREEZE_DEDUCT_TEST_PAUSE), for the tests that kill this process with SIGKILL at
 * each step of a deduction: the consumer stops inside its batch's open transaction, says so on its log,
 * and waits to be killed. Unset (always, outside those tests) the hooks are returned unchanged.
 *
 *   before-send    a deduct notice taken in, its requests planned: nothing committed, nothing dispatched
 *   before-answer  a deduct answer read off the answers topic, its hold not yet touched: nothing committed
 *   before-commit  a deduct answer folded into its hold and recorded: nothing committed, the answer not taken
 */
import type { MeasureHooks } from '@hub/measure-kit';
import type { Logger } from '@hub/service-kit';

export const TEST_PAUSES = ['before-send', 'before-answer', 'before-commit'] as const;
export type TestPause = (typeof TEST_PAUSES)[number];

export const PAUSE_MARKER = 'freeze-deduct test pause reached';

const forever = () => new Promise<never>(() => {});

export function withTestPause(
  hooks: MeasureHooks,
  pause: TestPause | undefined,
  logger: Pick<Logger, 'error'>,
): MeasureHooks {
  if (pause === undefined) return hooks;
  const stop = async (at: TestPause) => {
    logger.error({ pause: at }, PAUSE_MARKER);
    await forever();
  };
  return {
    ...hooks,
    onPlanned: async (tx, batch) => {
      await hooks.onPlanned?.(tx, batch);
      if (pause === 'before-send' && batch.notices.some((n) => n.measure === 'deduct')) await stop(pause);
    },
    onAnswered: async (tx, answered) => {
      if (pause === 'before-answer' && answered.some((a) => a.measure === 'deduct')) await stop(pause);
      await hooks.onAnswered?.(tx, answered);
      if (pause === 'before-commit' && answered.some((a) => a.measure === 'deduct')) await stop(pause);
    },
  };
}
