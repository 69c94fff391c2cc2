import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import {
  type CaseControls,
  type CheckControlResult,
  FreezeDeductServiceClient,
  type NoticeSubmission,
  type PlanFreezeRequest,
  type PlanFreezeResponse,
  type ReconcileCaseRequest,
  type ReconcileCaseResponse,
} from '@hub/contracts';
import { HubError, isErrorCode } from '@hub/domain';
import { GRPC_CLIENT_OPTIONS } from '@hub/service-kit';

/** The freeze-deduct service's read API over gRPC: a case's holds and pending control requests (控制措施). */
export class ControlsClient {
  private readonly client: FreezeDeductServiceClient;

  constructor(url: string) {
    this.client = new FreezeDeductServiceClient(url, credentials.createInsecure(), GRPC_CLIENT_OPTIONS);
  }

  caseControls(caseNo: string, courtCode: string, deadlineMs = 5000): Promise<CaseControls> {
    return new Promise((resolve, reject) => {
      this.client.getCaseControls(
        { caseNo, courtCode },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err?.code === status.NOT_FOUND)
            return reject(new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_CONTROL_FOR_CASE' }]));
          if (err || !res?.controls)
            return reject(
              new HubError('UNAVAILABLE', [{ dependency: 'freeze-deduct' }], undefined, { cause: err }),
            );
          resolve(res.controls);
        },
      );
    });
  }

  /** 查冻扣一体: the plan for a case (freeze-deduct plans it and records what is owed). */
  planFreeze(request: PlanFreezeRequest, deadlineMs = 10_000): Promise<PlanFreezeResponse> {
    return new Promise((resolve, reject) => {
      this.client.planFreeze(request, new Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => {
        if (err || !res) return reject(hubErrorOf(err));
        resolve(res);
      });
    });
  }

  /** Whether each control notice may be accepted, in order (FreezeDeductService.CheckControls). */
  check(notices: readonly NoticeSubmission[], deadlineMs = 5000): Promise<CheckControlResult[]> {
    return new Promise((resolve, reject) => {
      this.client.checkControls(
        { notices: [...notices] },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err || !res || res.results.length !== notices.length)
            return reject(
              new HubError('UNAVAILABLE', [{ dependency: 'freeze-deduct' }], undefined, { cause: err }),
            );
          resolve(res.results);
        },
      );
    });
  }

  /** 对账: the case's holds against the agencies' books the request brings (FreezeDeductService.ReconcileCase). */
  reconcile(request: ReconcileCaseRequest, deadlineMs = 5000): Promise<ReconcileCaseResponse> {
    return new Promise((resolve, reject) => {
      this.client.reconcileCase(
        request,
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err, res) => {
          if (err?.code === status.NOT_FOUND)
            return reject(new HubError('NOT_FOUND', [{ path: 'caseNo', code: 'NO_CONTROL_FOR_CASE' }]));
          if (err || !res) return reject(hubErrorOf(err));
          resolve(res);
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

/** The service's own stable code (error-code trailer) where it sent one; otherwise it was unavailable. */
function hubErrorOf(err: ServiceError | null): HubError {
  const code = err?.metadata?.get('error-code')[0];
  if (err && err.code !== status.INTERNAL && isErrorCode(code)) {
    const details = err.metadata.get('error-details')[0];
    return new HubError(code, typeof details === 'string' ? JSON.parse(details) : []);
  }
  return new HubError('UNAVAILABLE', [{ dependency: 'freeze-deduct' }], undefined, { cause: err });
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

/** A case's controls as courts read them (REST JSON): money in fen, days as YYYY-MM-DD, null for none. */
export function controlsToBody(c: CaseControls) {
  return {
    caseNo: c.caseNo,
    generatedAt: iso(c.generatedAt),
    totals: { owedFen: c.owedFen ?? null, frozenFen: c.frozenFen, deductedFen: c.deductedFen },
    holds: c.holds.map((h) => ({
      id: h.id,
      measure: h.measure,
      agency: h.agency,
      institution: h.institution,
      asset: { kind: h.assetKind, key: h.assetKey },
      state: h.state,
      queuePosition: h.queuePosition,
      requestedFen: h.requestedFen ?? null,
      frozenFen: h.frozenFen,
      deductedFen: h.deductedFen,
      term: { from: h.termFrom || null, until: h.termUntil || null },
      daysToExpiry: h.daysToExpiry ?? null,
      registrationNo: h.registrationNo,
      updatedAt: iso(h.updatedAt),
    })),
    // 扣划 with the agency's transfer reference, once per request.
    deductions: c.deductions.map((d) => ({
      requestId: d.requestId,
      holdId: d.holdId,
      institution: d.institution,
      accountNo: d.accountNo,
      amountFen: d.amountFen,
      transferRef: d.transferRef,
      at: iso(d.at),
    })),
    pending: c.pending.map((p) => ({
      requestId: p.requestId,
      noticeId: p.noticeId,
      measure: p.measure,
      agency: p.agency,
      institution: p.institution,
      status: p.status,
      dueAt: iso(p.dueAt),
    })),
  };
}
