import type { Queryable } from '@hub/store';
import { type StoredHeader, utf8Text } from '../../dead-letters.js';

/** Bytes of a value shown (as hex); the full length is always stated, the whole value is one link away. */
export const DEAD_LETTER_VALUE_SHOWN_BYTES = 4096;

export interface DeadLetter {
  id: number;
  receivedAt: Date;
  /** Where the dead letter itself sits (null for rows recorded before issue 9). */
  dlqTopic: string | null;
  dlqPartition: number | null;
  dlqOffset: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  consumerGroup: string | null;
  /** The reason the giving-up consumer gave (`dlq-error`), empty when it gave none. */
  error: string;
  errorCode: string | null;
  /** Why the value is not an event the hub can apply, null when it is one. */
  decodeError: string | null;
  eventType: string | null;
  eventId: string | null;
  noticeId: string | null;
  /** The key as text when it is UTF-8, and always as hex; null when the message had none. */
  keyText: string | null;
  keyHex: string | null;
  headers: StoredHeader[];
  /** Hex of the value's first DEAD_LETTER_VALUE_SHOWN_BYTES bytes; null when there was no value. */
  valueHex: string | null;
  valueBytes: number | null;
  valueTruncated: boolean;
}

export interface DeadLetterPage {
  /** Every dead letter recorded, whatever the page. */
  total: number;
  deadLetters: DeadLetter[];
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextBefore: number | null;
}

interface Row extends Omit<DeadLetter, 'keyText' | 'keyHex' | 'valueHex' | 'valueTruncated'> {
  key: Buffer | null;
  valueHead: Buffer | null;
}

/** The newest dead letters first, `limit` at a time, older than `before` when given. */
export async function listDeadLetters(
  db: Queryable,
  q: { limit: number; before?: number | undefined },
): Promise<DeadLetterPage> {
  // One statement, so the page and its total come from one snapshot: two would let letters recorded
  // between them be counted but not listed.
  const { rows: all } = await db.query<Row & { total: number }>(
    `SELECT t.total, d.* FROM (SELECT count(*)::int AS total FROM dead_letters) t
     LEFT JOIN LATERAL (
       SELECT id::float8 AS "id", received_at AS "receivedAt", dlq_topic AS "dlqTopic",
              dlq_partition AS "dlqPartition", dlq_offset::text AS "dlqOffset", source_topic AS "sourceTopic",
              source_partition AS "sourcePartition", source_offset::text AS "sourceOffset",
              consumer_group AS "consumerGroup", error, error_code AS "errorCode", decode_error AS "decodeError",
              event_type AS "eventType", event_id AS "eventId", notice_id AS "noticeId", message_key AS "key",
              headers, substring(value FROM 1 FOR $3) AS "valueHead", octet_length(value) AS "valueBytes"
       FROM dead_letters WHERE ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $1 + 1) d ON true
     ORDER BY d."id" DESC`,
    [q.limit, q.before ?? null, DEAD_LETTER_VALUE_SHOWN_BYTES],
  );
  const total = all[0]?.total ?? 0;
  const rows = all.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r);
  const page = rows.slice(0, q.limit);
  return {
    total,
    deadLetters: page.map(({ key, valueHead, ...r }) => ({
      ...r,
      keyText: key ? (utf8Text(key) ?? null) : null,
      keyHex: key ? key.toString('hex') : null,
      valueHex: valueHead ? valueHead.toString('hex') : null,
      valueTruncated: (r.valueBytes ?? 0) > DEAD_LETTER_VALUE_SHOWN_BYTES,
    })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}

/** The whole value of one dead letter, for re-publishing it once its cause is fixed. */
export async function readDeadLetterValue(db: Queryable, id: number): Promise<Buffer | null | undefined> {
  const { rows } = await db.query<{ value: Buffer | null }>('SELECT value FROM dead_letters WHERE id = $1', [
    id,
  ]);
  return rows.length === 0 ? undefined : rows[0]!.value;
}
