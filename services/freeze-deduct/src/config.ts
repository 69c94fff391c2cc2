import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';
import { TEST_PAUSES } from './test-pause.js';

const schema = z.object({
  ...commonEnv,
  FREEZE_DEDUCT_HOST: z.string().default('127.0.0.1'),
  /** Health and metrics only: the freeze-deduct service has no public API. */
  FREEZE_DEDUCT_PORT: env.port(8122),
  /** gRPC read API (a case's holds and pending control requests) for the gateway. */
  FREEZE_DEDUCT_GRPC_PORT: env.port(50054),
  /**
   * Longest real sleep of the hold timer sweeper, milliseconds: it wakes at the earliest lapse or reminder and
   * at least this often, so a deadline is seen within this of passing at any time scale.
   */
  FREEZE_DEDUCT_TIMER_SWEEP_MS: env.positiveInt(5000),
  /** Tests only: stop the consumer at a step of a deduction, to be killed there (src/test-pause.ts). */
  FREEZE_DEDUCT_TEST_PAUSE: z.enum(TEST_PAUSES).optional(),
});

export type FreezeDeductConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): FreezeDeductConfig {
  return parseEnv(schema, source);
}
