import { commonEnv, env, parseEnv } from '@hub/service-kit';
import { z } from 'zod';

const schema = z.object({
  ...commonEnv,
  TRACKER_HOST: z.string().default('127.0.0.1'),
  TRACKER_PORT: env.port(8090),
  TRACKER_GRPC_PORT: env.port(50052),
  /** Breach and escalation alerts are POSTed here (JSON), retried until delivered; unset = no alerts. */
  TRACKER_ALERT_WEBHOOK_URL: z.string().url().optional(),
  /**
   * Longest real sleep of the SLA timer sweeper, milliseconds: it wakes at the earliest deadline, and at least
   * this often, so a deadline is seen within this of passing at any time scale.
   */
  TRACKER_SLA_SWEEP_MS: env.positiveInt(5000),
  /**
   * The read model's projection gathers its batches in time (issue 13): after a fetch that brought events, the next
   * is asked for no sooner than TRACKER_GATHER_MS after it, so under load it folds every half second what came
   * meanwhile, one transaction (and one firing of each rollup trigger) for many, and a request dispatched and
   * answered within the window is written once. The first events after a quiet spell are folded at once; an idle
   * projection long-polls like every consumer. Nobody waits on it: a notice completes without it. 0 folds each
   * fetch as it comes.
   */
  TRACKER_GATHER_MS: z.coerce.number().int().min(0).max(5000).default(500),
  /**
   * Events the projection applies in one transaction. A gathered fetch (about 1,700 events for half a second at 500
   * agency requests/s) is applied whole, so a request dispatched and answered within it is written once, in its final state: in chunks of 500,
   * its dispatch went into the first and its answer into the next (a fetch is applied causes first), and each
   * row was written twice. Larger fetches, from a backlog, are applied in chunks of this many.
   */
  TRACKER_BATCH_EVENTS: env.positiveInt(4000),
});

export type TrackerConfig = z.infer<typeof schema>;

export function loadConfig(source: Record<string, string | undefined>): TrackerConfig {
  return parseEnv(schema, source);
}
