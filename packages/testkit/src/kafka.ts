import type { Admin } from 'kafkajs';
import { waitFor } from './wait.js';

/**
 * Wait until a consumer group has committed up to the end of every partition of `topics`: whatever was
 * published before the call has been processed. The way to assert that something did NOT happen.
 */
export async function waitForGroupCaughtUp(
  admin: Admin,
  groupId: string,
  topics: string[],
  options: { what?: string; timeoutMs?: number } = {},
): Promise<void> {
  await waitFor(
    async () => {
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          if (end.high !== '0' && at !== end.high) return false;
        }
      }
      return true;
    },
    {
      what: options.what ?? `${groupId} to consume everything published`,
      intervalMs: 100,
      timeoutMs: options.timeoutMs,
    },
  );
}
