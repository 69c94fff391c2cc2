import type { NoticeSubmission as DomainNotice } from '@hub/domain';
import type { NoticeSubmission } from './gen/enforcement/v1/common.js';

/** A court's JSON notice (validated) as its wire form. */
export function noticeToProto(n: DomainNotice): NoticeSubmission {
  const d = n.debtor;
  return {
    noticeNo: n.noticeNo,
    caseNo: n.caseNo,
    court: { code: n.court.code, name: n.court.name },
    officer: { name: n.officer.name, phone: n.officer.phone ?? '' },
    debtor:
      d.kind === 'person'
        ? { kind: d.kind, name: d.name, idNumber: d.idNumber, creditCode: '', responsiblePersons: [] }
        : {
            kind: d.kind,
            name: d.name,
            idNumber: '',
            creditCode: d.creditCode,
            legalRepresentative: d.legalRepresentative,
            responsiblePersons: d.responsiblePersons ?? [],
          },
    measure: n.measure,
    targets: n.targets.map((t) => ({ agency: t.agency, institution: t.institution ?? '' })),
    params: {
      amountFen: n.params.amountFen,
      termDays: n.params.termDays,
      owedFen: n.params.owedFen,
      accountNo: n.params.accountNo ?? '',
      unitNo: n.params.unitNo ?? '',
      plate: n.params.plate ?? '',
      ground: n.params.ground,
      otherGrounds: n.params.otherGrounds ?? [],
      extensionYears: n.params.extensionYears,
      removalReason: n.params.removalReason,
      groundAroseAt: n.params.groundAroseAt,
    },
    legalBasis: n.legalBasis,
    issuedAt: n.issuedAt,
    confirmWarnings: n.confirmWarnings ?? [],
    // Absent unless set, so a notice without one encodes (and is sealed) exactly as before.
    jurisdiction: n.jurisdiction && { kind: n.jurisdiction.kind, decisionNo: n.jurisdiction.decisionNo },
  };
}

const opt = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);

/**
 * The wire form back to the court JSON shape, before validation: proto3 cannot tell an empty string from
 * a missing one, so empty strings become absent fields and the validator reports them as REQUIRED.
 */
export function noticeFromProto(p: NoticeSubmission): Record<string, unknown> {
  const d = p.debtor;
  const debtor =
    d === undefined
      ? undefined
      : d.kind === 'organisation'
        ? {
            kind: d.kind,
            name: opt(d.name),
            creditCode: opt(d.creditCode),
            legalRepresentative: d.legalRepresentative
              ? { name: opt(d.legalRepresentative.name), idNumber: opt(d.legalRepresentative.idNumber) }
              : undefined,
            responsiblePersons:
              d.responsiblePersons.length > 0
                ? d.responsiblePersons.map((r) => ({
                    role: opt(r.role),
                    name: opt(r.name),
                    idNumber: opt(r.idNumber),
                  }))
                : undefined,
          }
        : { kind: opt(d.kind), name: opt(d.name), idNumber: opt(d.idNumber) };
  return {
    noticeNo: opt(p.noticeNo),
    caseNo: opt(p.caseNo),
    court: p.court && { code: opt(p.court.code), name: opt(p.court.name) },
    officer: p.officer && { name: opt(p.officer.name), phone: opt(p.officer.phone) },
    debtor,
    measure: opt(p.measure),
    targets: p.targets.map((t) => ({ agency: opt(t.agency), institution: opt(t.institution) })),
    params: {
      amountFen: p.params?.amountFen,
      termDays: p.params?.termDays,
      owedFen: p.params?.owedFen,
      accountNo: opt(p.params?.accountNo),
      unitNo: opt(p.params?.unitNo),
      plate: opt(p.params?.plate),
      ground: p.params?.ground,
      otherGrounds: p.params?.otherGrounds.length ? p.params.otherGrounds : undefined,
      extensionYears: p.params?.extensionYears,
      removalReason: p.params?.removalReason,
      groundAroseAt: p.params?.groundAroseAt,
    },
    legalBasis: opt(p.legalBasis),
    issuedAt: opt(p.issuedAt),
    confirmWarnings: p.confirmWarnings.length > 0 ? p.confirmWarnings : undefined,
    jurisdiction: p.jurisdiction && {
      kind: opt(p.jurisdiction.kind),
      decisionNo: opt(p.jurisdiction.decisionNo),
    },
  };
}
