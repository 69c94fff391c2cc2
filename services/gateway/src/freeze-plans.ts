/**
 * 查冻扣一体 at the gateway: `POST /v1/cases/:caseNo/freeze-plan`. The court states what the case owes; the
 * gateway reads the case's latest property report (query service), the freeze-deduct service plans over its
 * assets (PlanFreeze: largest free balances first, never beyond owed less what the case holds) and records
 * what is owed, and the gateway issues the planned notices exactly as a court's own: validated, sealed with
 * the court's seal, stored with one NoticeIssued each (NoticeWriter). Idempotent on the Idempotency-Key
 * header: the same key gives the same plan and the same notices (numbered from the plan), so a retry after
 * a failure part-way issues what is missing and nothing twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PlanFreezeAsset, PlanFreezeResponse, PropertyReport } from '@hub/contracts';
import {
  ASSET_KIND_OF_AGENCY,
  canonicalJson,
  checkedIdempotencyKey,
  type Debtor,
  HubError,
  type HubService,
  INT32_MAX,
  isHubError,
  maskIdNumber,
  maxTermDays,
  NOTICE_ISSUE_TEXT,
  type NoticeSubmission,
  officerSchema,
  termRulesAt,
  toValidationIssues,
  wireSafetyIssues,
} from '@hub/domain';
import type { Pool } from '@hub/store';
import { z } from 'zod';
import type { ControlsClient } from './adapters/controls-client.js';
import type { QueryClient } from './adapters/query-client.js';
import type { Submissions } from './submissions.js';

const MONEY_AGENCIES = ['bank', 'provident-fund'] as const;

/** What a court sends (documented in the gateway's OpenAPI from this schema). */
export const freezePlanBodySchema = z.strictObject({
  owedFen: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .describe('执行标的 plus costs, in fen: recorded with the case; nothing is frozen beyond it'),
  termDays: z
    .number()
    .int()
    .positive()
    .max(INT32_MAX)
    .optional()
    .describe('term of every freeze and seal; default: the longest the term rules allow per asset kind'),
  officer: officerSchema,
  legalBasis: z.string().trim().min(1).max(256).describe('the 执行裁定书 the notices rest on'),
  agencies: z
    .array(z.enum(MONEY_AGENCIES))
    .min(1)
    .max(2)
    .optional()
    .describe('where to freeze money (default: bank and provident-fund accounts found)'),
  sealProperty: z
    .boolean()
    .optional()
    .describe('also seal (查封) every real-estate unit and vehicle found; default false'),
});
export type FreezePlanBody = z.infer<typeof freezePlanBodySchema>;

export interface PlannedNotice {
  id: string;
  noticeNo: string;
  measure: string;
  agency: string;
  institution: string;
  asset: { kind: string; key: string };
  amountFen: number | null;
  termDays: number;
  duplicate: boolean;
}

export interface FreezePlanResult {
  planId: string;
  planNo: string;
  caseNo: string;
  replayed: boolean;
  owedFen: number;
  heldFen: number;
  plannedFen: number;
  notices: PlannedNotice[];
  reason: string | null;
}

export class FreezePlans {
  constructor(
    private readonly pool: Pool,
    private readonly query: QueryClient,
    private readonly controls: ControlsClient,
    private readonly submissions: Submissions,
    private readonly now: () => Date,
    /** The measure services deployed (HUB_MEASURE_SERVICES): a plan needs freeze-deduct. */
    private readonly deployed: ReadonlySet<HubService>,
  ) {}

  async plan(
    court: string,
    caseNo: string,
    input: unknown,
    idempotencyKey?: string,
  ): Promise<FreezePlanResult> {
    if (!this.deployed.has('freeze-deduct'))
      throw new HubError('MEASURE_NOT_DEPLOYED', [
        { path: 'measure', code: 'MEASURE_NOT_DEPLOYED', measure: 'freeze', service: 'freeze-deduct' },
      ]);
    const body = parseBody(input, this.now());
    const planKey = checkedIdempotencyKey(idempotencyKey) ?? randomUUID();
    const report = await this.query.propertyReport(caseNo, court).catch((err: unknown) => {
      if (isHubError(err) && err.code === 'NOT_FOUND')
        throw new HubError('NO_PROPERTY_REPORT', [{ path: 'caseNo', code: 'NO_PROPERTY_REPORT' }]);
      throw err;
    });
    const { courtName, debtors } = await this.filed(court, caseNo);
    const plan = await this.controls.planFreeze({
      caseNo,
      courtCode: court,
      planKey,
      requestHash: createHash('sha256').update(canonicalJson({ caseNo, body })).digest('hex'),
      owedFen: body.owedFen,
      officer: body.officer.name,
      assets: assetsOf(report, debtors, body),
      sealProperty: body.sealProperty ?? false,
    });
    const notices = plan.items.map((item) =>
      noticeOf({ code: court, name: courtName }, caseNo, body, plan, item, debtors),
    );
    const results = await this.submissions.many(
      court,
      notices.map((n) => n.notice),
    );
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) {
      // The plan is kept: the same Idempotency-Key retries it and issues only what is missing.
      throw new HubError(failed.error.code as HubError['code'], [
        { path: `notices.${failed.index}`, planId: plan.planId, details: failed.error.details },
      ]);
    }
    return {
      planId: plan.planId,
      planNo: plan.planNo,
      caseNo,
      replayed: plan.replayed,
      owedFen: plan.owedFen,
      heldFen: plan.heldFen,
      plannedFen: plan.plannedFen,
      reason: plan.reason || null,
      notices: notices.map(({ notice, termDays }, i) => {
        const r = results[i]!;
        const item = plan.items[i]!;
        return {
          id: r.ok ? r.id : '',
          noticeNo: notice.noticeNo,
          measure: item.measure,
          agency: item.agency,
          institution: item.institution,
          asset: { kind: item.assetKind, key: item.assetKey },
          amountFen: item.amountFen ?? null,
          termDays,
          duplicate: r.ok && r.duplicate,
        };
      }),
    };
  }

  /**
   * The case's debtors as this court filed them on its inquiries, by the masked ID the property report
   * shows: the report never carries an ID number in clear, the gateway's own notices do.
   */
  private async filed(court: string, caseNo: string) {
    const { rows } = await this.pool.query<{ body: NoticeSubmission }>(
      `SELECT body FROM notices WHERE court_code = $1 AND case_no = $2 AND measure = 'query'
       ORDER BY received_at DESC`,
      [court, caseNo],
    );
    const debtors = new Map<string, Debtor>();
    for (const { body } of rows) {
      const d = body.debtor;
      const ref = maskIdNumber(d.kind === 'person' ? d.idNumber : d.creditCode);
      if (!debtors.has(ref)) debtors.set(ref, d);
    }
    return { courtName: rows[0]?.body.court.name ?? court, debtors };
  }
}

function parseBody(input: unknown, now: Date): FreezePlanBody {
  const parsed = freezePlanBodySchema.safeParse(input);
  const unsafe = wireSafetyIssues(input);
  if (!parsed.success || unsafe.length > 0) {
    // The notice schema's parts (officer) carry their codes in their messages: NOTICE_ISSUE_TEXT turns them back.
    const issues = [...unsafe, ...toValidationIssues(parsed.error?.issues ?? [], input, NOTICE_ISSUE_TEXT)];
    // zod may report one fault twice (an integer beyond the safe range is both not safe and too big).
    const once = new Map(issues.map((i) => [`${i.path}\u0000${i.code}`, i]));
    throw new HubError('VALIDATION_FAILED', [...once.values()]);
  }
  const body = parsed.data;
  // One term for every notice of the plan: it must be lawful for each kind of asset the plan may hold
  // (民事诉讼法解释 art. 485: deposits 1 year, movables 2, real estate 3), or the court is told now.
  if (body.termDays !== undefined) {
    const rules = termRulesAt(now);
    const kinds = body.sealProperty
      ? (['deposit', 'movable', 'real-estate'] as const)
      : (['deposit'] as const);
    const maxDays = Math.min(...kinds.map((k) => maxTermDays(rules, k, now)));
    if (body.termDays > maxDays)
      throw new HubError('VALIDATION_FAILED', [
        { path: 'termDays', code: 'TERM_EXCEEDS_LIMIT', message: `at most ${maxDays} days`, maxDays },
      ]);
  }
  return body;
}

const FACT_ASSETS: Readonly<Record<string, PlanFreezeAsset['assetKind']>> = {
  deposit: 'account',
  'provident-fund': 'account',
  'real-estate': 'unit',
  vehicle: 'plate',
};

/**
 * The report's assets the plan may use: accounts with what is free on them (balance less what anyone froze,
 * as the institution reported), units and vehicles when sealing is asked; only debtors this court filed.
 */
function assetsOf(
  report: PropertyReport,
  debtors: Map<string, Debtor>,
  body: FreezePlanBody,
): PlanFreezeAsset[] {
  const money = new Set<string>(body.agencies ?? MONEY_AGENCIES);
  const assets: PlanFreezeAsset[] = [];
  for (const d of report.debtors) {
    if (!debtors.has(d.idMasked)) continue;
    for (const a of d.agencies) {
      for (const f of a.facts) {
        const assetKind = FACT_ASSETS[f.kind];
        if (!assetKind) continue;
        if (assetKind === 'account') {
          if (!money.has(a.agency) || f.amountFen === undefined) continue;
          const detail = f.detailJson ? (JSON.parse(f.detailJson) as { frozenFen?: unknown }) : {};
          const frozen = typeof detail.frozenFen === 'number' ? detail.frozenFen : 0;
          assets.push({
            debtorRef: d.idMasked,
            agency: a.agency,
            institution: a.institution,
            assetKind,
            assetKey: f.key,
            availableFen: Math.max(0, f.amountFen - frozen),
          });
        } else if (body.sealProperty) {
          assets.push({
            debtorRef: d.idMasked,
            agency: a.agency,
            institution: a.institution,
            assetKind,
            assetKey: f.key,
          });
        }
      }
    }
  }
  return assets;
}

/** One planned item as the court's notice: numbered from the plan, issued when the plan was made. */
function noticeOf(
  court: { code: string; name: string },
  caseNo: string,
  body: FreezePlanBody,
  plan: PlanFreezeResponse,
  item: PlanFreezeResponse['items'][number],
  debtors: Map<string, Debtor>,
) {
  const issuedAt = plan.plannedAt ?? new Date();
  const assetKind = ASSET_KIND_OF_AGENCY[item.agency as keyof typeof ASSET_KIND_OF_AGENCY];
  const termDays = body.termDays ?? maxTermDays(termRulesAt(issuedAt), assetKind, issuedAt);
  const asset =
    item.assetKind === 'account'
      ? { accountNo: item.assetKey }
      : item.assetKind === 'unit'
        ? { unitNo: item.assetKey }
        : { plate: item.assetKey };
  const notice: NoticeSubmission = {
    noticeNo: `${caseNo}-查冻${plan.planNo}-${item.seq}`,
    caseNo,
    court,
    officer: body.officer,
    debtor: debtors.get(item.debtorRef)!,
    measure: item.measure as NoticeSubmission['measure'],
    targets: [
      { agency: item.agency as NoticeSubmission['targets'][number]['agency'], institution: item.institution },
    ],
    params: {
      ...asset,
      termDays,
      ...(item.amountFen === undefined ? {} : { amountFen: item.amountFen, owedFen: plan.owedFen }),
    },
    legalBasis: body.legalBasis,
    issuedAt: issuedAt.toISOString(),
  };
  return { notice, termDays };
}
