/**
 * The demo's third part: punishment (惩戒) and interception (自动比对、拦截). The court lists the debtor as
 * dishonest (纳入失信名单); the listing reaches every connected institution; the public list shows the debtor,
 * masked; a bank's interception check answers "restricted" and the bank reports the loan it blocked, which the
 * court sees on the notice's timeline; then the court deletes the listing (屏蔽/删除) and the deletion spreads
 * until every institution has confirmed, after which the check answers "not restricted" and the public list
 * no longer shows the debtor.
 */
import { randomUUID } from 'node:crypto';
import { checkInterception, reportInterception } from '@hub/agency-sim';
import { maskIdNumber } from '@hub/domain';

export interface PunishmentDemoContext {
  gateway: string;
  caseNo: string;
  idNumber: string;
  court: Record<string, string>;
  until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T>;
}

type Notice = {
  status: string;
  requests: { agency: string; institution: string; status: string; answer: unknown }[];
  timeline: { at: string | null; event: string; detail: string | null }[];
};

/** The bank a partner checks from: ICBC through the bank adapter, with its demo secret. */
const BANK = {
  url: 'http://127.0.0.1:8101',
  institution: 'ICBC',
  secret: 'icbc-demo-secret',
};

/** An instant as the court reads it: Beijing time. */
const beijing = (iso: string) =>
  `${new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })} 北京时间`;

export async function demoPunishment(c: PunishmentDemoContext): Promise<void> {
  const url = (path: string) => `${c.gateway}${path}`;
  const submit = async (notice: Record<string, unknown>) => {
    const res = await fetch(url('/v1/notices'), {
      method: 'POST',
      headers: c.court,
      body: JSON.stringify(notice),
    });
    const json = (await res.json()) as { id?: string };
    if (res.status !== 202 || !json.id)
      throw new Error(`submit failed: ${res.status} ${JSON.stringify(json)}`);
    return json.id;
  };
  const read = async (id: string) =>
    (await (await fetch(url(`/v1/notices/${id}`), { headers: c.court })).json()) as Notice;
  const follow = async (id: string, what: string) => {
    let last = '';
    return c.until(
      `${what} to complete`,
      async () => {
        const n = await read(id);
        const confirmed = n.requests.filter((r) => r.status === 'done').length;
        const line = `${what}: ${n.status}, ${confirmed}/${n.requests.length} institutions confirmed`;
        if (line !== last && n.requests.length > 0) console.log(`hub: ${line}`);
        last = line;
        return n.status === 'completed' ? n : undefined;
      },
      60_000,
    );
  };
  const publicList = async () =>
    (
      (await (
        await fetch(
          url(`/v1/public/dishonest?name=${encodeURIComponent('李某')}&idPrefix=${c.idNumber.slice(0, 6)}`),
        )
      ).json()) as {
        listings: { name: string; idMasked: string; caseNo: string; groundZh: string; listedAt: string }[];
      }
    ).listings.find((l) => l.caseNo === c.caseNo);
  const check = () => checkInterception(BANK.url, BANK.institution, BANK.secret, c.idNumber);
  const base = {
    caseNo: c.caseNo,
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor: { kind: 'person', name: '李某', idNumber: c.idNumber },
    targets: [],
    legalBasis: `${c.caseNo}执行裁定书`,
  };

  console.log(
    `\nhub: 纳入失信名单 — ${c.caseNo} lists the debtor ${maskIdNumber(c.idNumber)} (ground: 规避执行)`,
  );
  const listing = await submit({
    ...base,
    noticeNo: `${c.caseNo}-失${Date.now().toString(36)}`,
    measure: 'dishonest-list',
    params: { ground: 'evades-enforcement' },
    issuedAt: new Date().toISOString(),
  });
  await follow(listing, 'listing');

  const mine = await publicList();
  console.log(
    mine
      ? `hub: public list (no sign-in): ${mine.name} ${mine.idMasked} ${mine.caseNo} ${mine.groundZh} since ${beijing(mine.listedAt)}`
      : 'hub: public list does not show the debtor yet',
  );

  const restricted = await c.until(
    'the interception check to answer restricted',
    async () => ((v) => (v.restricted ? v : undefined))(await check()),
    15_000,
  );
  const entry = restricted.entries.find((e) => e.measure === 'dishonest-list') ?? restricted.entries[0]!;
  console.log(
    `hub: ICBC checks the debtor before a loan: restricted (${restricted.entries.map((e) => e.measure).join(', ')}), court ${entry.courtCode}, since ${beijing(entry.since)}`,
  );
  await reportInterception(BANK.url, BANK.institution, BANK.secret, {
    reportRef: `ICBC-LOAN-${randomUUID().slice(0, 8)}`,
    id: c.idNumber,
    entryId: entry.entryId,
    action: 'loan',
    occurredAt: new Date().toISOString(),
  });
  const seen = await c.until(
    "the bank's interception report on the listing's timeline",
    // agency-sim's partners report interceptions of their own too: show the bank's.
    async () =>
      (await read(listing)).timeline.find(
        (t) => t.event === 'InterceptionReported' && t.detail?.includes(`${BANK.institution}: loan`),
      ),
    15_000,
  );
  console.log(
    `hub: ICBC blocked a loan and reported it; the court's timeline shows: ${seen.at ? beijing(seen.at) : ''} ${seen.detail}`,
  );

  console.log('\nhub: 删除失信信息 — the debtor performed; the court deletes the listing');
  const removal = await submit({
    ...base,
    noticeNo: `${c.caseNo}-删${Date.now().toString(36)}`,
    measure: 'dishonest-list-removal',
    params: { removalReason: 'performed', groundAroseAt: new Date().toISOString() },
    issuedAt: new Date().toISOString(),
  });
  await follow(removal, 'deletion');
  const after = await check();
  const stillPublic = await publicList();
  console.log(
    `hub: ICBC checks again: ${after.restricted ? 'still restricted (unexpected)' : 'not restricted'}; the public list ${stillPublic ? 'still shows the debtor (unexpected)' : 'no longer shows the debtor'}`,
  );
  if (after.restricted || stillPublic) throw new Error('the deletion did not take effect everywhere');
}
