/** A valid 协助执行通知书 as a court would submit it (DESIGN §6), with overrides. */
export function notice(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    noticeNo: `(2026)川0104执1234号-协${Math.random().toString(36).slice(2, 10)}`,
    caseNo: '(2026)川0104执1234号',
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' },
    measure: 'query',
    targets: [{ agency: 'bank' }],
    params: {},
    legalBasis: '(2026)川0104执1234号执行裁定书',
    issuedAt: '2026-11-23T09:00:00+08:00',
    ...overrides,
  };
}

export const COURT_KEY = 'demo-court-key';
export const auth = { authorization: `Bearer ${COURT_KEY}` };
