import { waitFor } from '@hub/testkit';
/** The demo's notice and the polling a court client would do; shared by the e2e tests and the demo. */
export function queryNotice(idNumber = '11010519491231002X', suffix = Date.now().toString(36)) {
  return {
    noticeNo: `(2026)川0104执1234号-查${suffix}`,
    caseNo: '(2026)川0104执1234号',
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor: { kind: 'person', name: '李某', idNumber },
    measure: 'query',
    targets: [{ agency: 'bank' }, { agency: 'real-estate' }],
    params: {},
    legalBasis: '(2026)川0104执1234号执行裁定书',
    issuedAt: '2026-11-23T09:00:00+08:00',
  };
}

/**
 * Files the demo's query notice at `gateway` as the demo court and waits until it reads completed; returns the
 * completed notice as the court sees it.
 */
export async function fileAndAwaitCompletion(gateway: string, what: string) {
  const auth = { authorization: 'Bearer demo-court-key' };
  const res = await fetch(`${gateway}/v1/notices`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(queryNotice()),
  });
  if (res.status !== 202) throw new Error(`notice refused: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return waitFor(
    async () => {
      const r = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers: auth })).json()) as {
        status: string;
        requests: { status: string }[];
      };
      return r.status === 'completed' ? r : undefined;
    },
    { what, timeoutMs: 60_000, intervalMs: 250 },
  );
}
