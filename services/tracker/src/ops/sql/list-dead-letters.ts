import type { Queryable } from '@hub/store';

export interface DeadLetter {
  id: number;
  sourceTopic: string;
  consumerGroup: string;
  error: string;
  eventType: string | null;
  noticeId: string | null;
  receivedAt: Date;
}

/** The newest messages other consumers gave up on. */
export async function listDeadLetters(db: Queryable, limit: number): Promise<DeadLetter[]> {
  const { rows } = await db.query<DeadLetter>(
    `SELECT id::float8 AS "id", source_topic AS "sourceTopic", consumer_group AS "consumerGroup", error,
            event_type AS "eventType", notice_id AS "noticeId", received_at AS "receivedAt"
     FROM dead_letters ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
