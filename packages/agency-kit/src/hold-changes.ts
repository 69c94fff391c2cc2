/**
 * Hold-change reports (DESIGN §6, phase 2): an agency tells the hub, on its own initiative, what happened
 * to a hold the hub placed through one of its requests. One schema, parsed once at the adapter's edge.
 *
 *   promoted                 轮候生效: a queued freeze or seal took effect (queue position 0, its term, 回执号)
 *   lapsed                   失效: the hold ran out unrenewed
 *   released-by-other-court  前序解除: a hold ahead was lifted; this one moved up the queue (its new position)
 *   deducted                 扣划: money held under this hold was transferred (amount in fen, transfer reference)
 *   disposed                 前序处分: the asset ahead was wholly disposed of, so this queued hold lapses
 */
import { UUID_PATTERN } from '@hub/domain';
import { z } from 'zod';

export const HOLD_CHANGES = [
  'promoted',
  'lapsed',
  'released-by-other-court',
  'deducted',
  'disposed',
] as const;
export type HoldChangeKind = (typeof HOLD_CHANGES)[number];

/** Measures whose answer leaves a hold the agency may later report on. */
export const HOLD_MEASURES: readonly string[] = ['freeze', 'renew-freeze', 'seal', 'renew-seal'];

/** Issue codes of hold-change reports (the zod issue's message is the code). */
export const HOLD_REPORT_ISSUE_TEXT = {
  TERM_ENDS_BEFORE_START: 'term.until is earlier than term.from',
  NOT_FOR_THIS_ASSET: 'this change cannot happen to a hold on this kind of asset (money only)',
} as const;

const day = z.iso.date();
const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().min(1).max(max);

const common = {
  /** The agency's own id of this report: sending it again is harmless, it is accepted once. */
  reportId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/),
  /** The request through which the hub placed the hold (the freeze, seal or renewal). */
  requestId: z.string().regex(UUID_PATTERN),
  /** When it happened at the agency. */
  occurredAt: z.iso.datetime({ offset: true }),
  reason: text(500).optional(),
};

export const holdChangeSchema = z.discriminatedUnion('change', [
  z.strictObject({
    ...common,
    change: z.literal('promoted'),
    queuePosition: z.literal(0),
    term: z
      .strictObject({ from: day, until: day })
      .refine((t) => t.until >= t.from, { message: 'TERM_ENDS_BEFORE_START', path: ['until'] }),
    registrationNo: text(64),
    /** Money holds: what the hold freezes now that it is in effect. */
    frozenFen: fen.optional(),
  }),
  z.strictObject({ ...common, change: z.literal('lapsed'), lastDay: day.optional() }),
  z.strictObject({
    ...common,
    change: z.literal('released-by-other-court'),
    /** The hold's new place in the queue (1 = next to take effect). */
    queuePosition: z.number().int().min(1).max(1_000_000),
  }),
  z.strictObject({
    ...common,
    change: z.literal('deducted'),
    amountFen: fen.min(1),
    transferRef: text(64),
  }),
  z.strictObject({ ...common, change: z.literal('disposed') }),
]);

export type HoldChangeReport = z.infer<typeof holdChangeSchema>;

/** The batch envelope only: each report in it is checked on its own (even one that is no object at all). */
export const holdChangeBatchSchema = z.strictObject({
  reports: z.array(z.unknown()).min(1).max(500),
});
