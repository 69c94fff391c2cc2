import {
  type AgencyKind,
  HubError,
  type HubService,
  isHubError,
  isPunishmentMeasure,
  measureService,
  type NoticeSubmission,
  needsConfirmationOnly,
  validateNotice,
} from '@hub/domain';
import type { Admission } from './admission.js';
import type { NoticeWriter } from './notice-writer.js';

export type ItemResult =
  | { index: number; ok: true; id: string; duplicate: boolean; warnings: string[] }
  | { index: number; ok: false; error: { code: string; message: string; details: readonly unknown[] } };

/**
 * Court submissions, one or many: validate, check the court, store through the group-committing writer.
 * Back-pressure: when more notices wait for storage than the gateway allows, new work is refused with
 * 429 RATE_LIMITED (retry later) instead of queueing without bound.
 */
export class Submissions {
  constructor(
    private readonly writer: NoticeWriter,
    private readonly maxPending: number,
    /** The gateway's clock: a notice issued more than a day after it is refused. */
    private readonly now: () => Date,
    /** The measure services deployed (HUB_MEASURE_SERVICES): a notice no one would carry out is refused. */
    private readonly deployed: ReadonlySet<HubService>,
    /** Notices a measure service already knows it cannot carry out are refused before storage. */
    private readonly gate: Pick<Admission, 'check' | 'judged'>,
    /**
     * The connected institutions by agency kind (HUB_INSTITUTIONS, as the measure services have it): a notice
     * naming one that is not connected is refused before storage, not stored to fail at once. Unset: not checked.
     */
    private readonly directory?: ReadonlyMap<AgencyKind, readonly string[]>,
  ) {}

  /** One notice; throws the HubError a single submission answers with. */
  async one(court: string, input: unknown, traceparent = '') {
    this.admit(1);
    const notice = this.validate(court, input);
    const [refused] = await this.judge(court, [notice.value]);
    if (refused) throw refused;
    const accepted = await this.writer.submit(notice.value, notice.warnings, traceparent);
    return { ...accepted, warnings: notice.warnings };
  }

  /**
   * Many notices; every item gets its own result, in order, and one bad item never sinks the rest. Each
   * item is all-or-nothing (its notice and its NoticeIssued event commit together, see NoticeWriter), so
   * an `ok` result means stored and announced, and any other result means nothing of it was stored.
   */
  async many(court: string, inputs: unknown[], traceparent = ''): Promise<ItemResult[]> {
    this.admit(inputs.length);
    const validated = inputs.map((input): { value: NoticeSubmission; warnings: string[] } | HubError => {
      try {
        return this.validate(court, input);
      } catch (thrown) {
        return asHubError(thrown);
      }
    });
    const valid = validated.flatMap((v) => (v instanceof HubError ? [] : [v.value]));
    const refusals = await this.judge(court, valid);
    let k = 0;
    const items = validated.map((v) => (v instanceof HubError ? v : (refusals[k++] ?? v)));
    return Promise.all(
      items.map(async (notice, index): Promise<ItemResult> => {
        try {
          if (notice instanceof HubError) throw notice;
          const accepted = await this.writer.submit(notice.value, notice.warnings, traceparent);
          return {
            index,
            ok: true,
            id: accepted.id,
            duplicate: accepted.duplicate,
            warnings: notice.warnings,
          };
        } catch (thrown) {
          // Every item is stored whole or not at all, so even an unexpected failure is this item's alone:
          // the batch still reports exactly what was stored.
          const err = asHubError(thrown);
          return { index, ok: false, error: { code: err.code, message: err.message, details: err.details } };
        }
      }),
    );
  }

  /** Control and punishment notices judged before storage (Admission); why each may not be stored, in order. */
  private async judge(
    court: string,
    notices: readonly NoticeSubmission[],
  ): Promise<(HubError | undefined)[]> {
    try {
      return await this.gate.check(court, notices);
    } catch (err) {
      // The gateway's own database could not say which notices are stored: nothing is stored either.
      const refused = new HubError('UNAVAILABLE', [{ dependency: 'postgres' }], undefined, { cause: err });
      return notices.map((n) => (this.gate.judged(n.measure) ? refused : undefined));
    }
  }

  private admit(n: number) {
    if (this.writer.pending + n > this.maxPending) {
      throw new HubError('RATE_LIMITED', [{ code: 'GATEWAY_BUSY', pending: this.writer.pending }]);
    }
  }

  private validate(court: string, input: unknown) {
    const validation = validateNotice(input, { now: this.now() });
    if (!validation.ok) {
      throw new HubError(
        needsConfirmationOnly(validation.issues) ? 'CONFIRMATION_REQUIRED' : 'VALIDATION_FAILED',
        validation.issues,
      );
    }
    if (validation.value.court.code !== court) {
      throw new HubError('FORBIDDEN', [{ path: 'court.code', code: 'OTHER_COURT' }]);
    }
    const { measure } = validation.value;
    const service = measureService(measure);
    if (!this.deployed.has(service)) {
      throw new HubError('MEASURE_NOT_DEPLOYED', [
        { path: 'measure', code: 'MEASURE_NOT_DEPLOYED', measure, service },
      ]);
    }
    // Punishment measures go to every institution acting on them, whatever the targets name.
    if (this.directory && !isPunishmentMeasure(measure)) {
      const unknown = validation.value.targets.flatMap((t, i) =>
        t.institution && !(this.directory!.get(t.agency as AgencyKind) ?? []).includes(t.institution)
          ? [
              {
                path: `targets.${i}.institution`,
                code: 'INSTITUTION_NOT_CONNECTED',
                institution: t.institution,
              },
            ]
          : [],
      );
      if (unknown.length > 0) throw new HubError('INSTITUTION_NOT_CONNECTED', unknown);
    }
    return validation;
  }
}

const asHubError = (thrown: unknown): HubError =>
  isHubError(thrown) ? thrown : new HubError('INTERNAL', [], undefined, { cause: thrown });
