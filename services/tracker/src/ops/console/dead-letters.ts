import { type DeadLetter, type DeadLetterPage, getJson } from './api.ts';
import { $, el, showError, time } from './dom.ts';
import { fill, label, t } from './i18n.ts';
import { showNotice } from './notice.ts';
import { state } from './state.ts';

// The first page is re-read on every refresh and merged with the older pages already shown.
export async function loadDeadLetters(before?: number): Promise<void> {
  const page = await getJson<DeadLetterPage>(
    `/v1/ops/dead-letters?limit=50${before ? `&before=${before}` : ''}`,
  );
  const byId = new Map((state.deadLetters || []).map((d) => [d.id, d]));
  for (const d of page.deadLetters) byId.set(d.id, d);
  state.deadLetters = [...byId.values()].sort((a, b) => b.id - a.id);
  state.deadLetterTotal = page.total;
  if (before || state.deadLettersBefore === null) state.deadLettersBefore = page.nextBefore;
  renderDeadLetters();
}

/** 16 bytes a line: offset, bytes, and the printable ASCII of them. */
export function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    const bytes = hex.slice(i, i + 32).match(/../g) || [];
    const ascii = bytes
      .map((b) => {
        const c = Number.parseInt(b, 16);
        return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      })
      .join('');
    lines.push(`${(i / 2).toString(16).padStart(8, '0')}  ${bytes.join(' ').padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

const place = (topic: string | null, partition: number | null, offset: string | null) =>
  topic
    ? `${topic}${partition === null ? '' : ` [${partition}]`}${offset === null ? '' : ` @${offset}`}`
    : '—';

function deadLetterMessage(d: DeadLetter): HTMLElement {
  let value: HTMLElement;
  if (d.valueHex === null) value = el('p', { class: 'empty' }, t('noValue'));
  else {
    value = el(
      'div',
      {},
      el(
        'p',
        { class: 'hint' },
        fill(t(d.valueTruncated ? 'valueTruncated' : 'valueBytes'), {
          n: d.valueBytes,
          shown: d.valueHex.length / 2,
        }),
        ' ',
        el(
          'a',
          { href: `/v1/ops/dead-letters/${d.id}/value`, download: `dead-letter-${d.id}.bin` },
          t('download'),
        ),
      ),
      el('pre', { class: 'hex', testid: 'dead-letter-hex' }, hexDump(d.valueHex)),
    );
  }
  const key = d.keyHex === null ? '—' : d.keyText !== null ? d.keyText : `0x${d.keyHex}`;
  const details = el(
    'details',
    { open: state.openDeadLetters.has(d.id) },
    el('summary', {}, d.valueBytes === null ? t('noValue') : fill(t('valueBytes'), { n: d.valueBytes })),
    el(
      'dl',
      {},
      el('dt', {}, t('key')),
      el('dd', { class: 'mono' }, key),
      el('dt', {}, t('deadLetterAt')),
      el('dd', { class: 'mono' }, place(d.dlqTopic, d.dlqPartition, d.dlqOffset)),
      ...d.headers.flatMap((h) => [
        el('dt', {}, h.name),
        el('dd', { class: 'mono' }, h.encoding === 'hex' ? `0x${h.value}` : h.value),
      ]),
    ),
    value,
  ) as HTMLDetailsElement;
  // Refreshes redraw the table: what ops opened stays open.
  details.addEventListener('toggle', () => {
    if (details.open) state.openDeadLetters.add(d.id);
    else state.openDeadLetters.delete(d.id);
  });
  return details;
}

export function renderDeadLetters(): void {
  const rows = state.deadLetters || [];
  $('dead-letter-rows').replaceChildren(
    ...rows.map((d) => {
      const reason = [d.error, d.decodeError].filter(Boolean).join(' · ') || '—';
      return el(
        'tr',
        { testid: 'dead-letter-row', 'data-id': d.id },
        el('td', {}, time(d.receivedAt)),
        el('td', { class: 'mono' }, place(d.sourceTopic, d.sourcePartition, d.sourceOffset)),
        el('td', { class: 'mono' }, d.consumerGroup || '—'),
        el('td', {}, d.eventType ? label('event', d.eventType) : '—'),
        el(
          'td',
          {},
          d.noticeId
            ? el(
                'button',
                { type: 'button', class: 'link', onclick: () => d.noticeId && showNotice(d.noticeId) },
                d.noticeId,
              )
            : '—',
        ),
        el(
          'td',
          { class: 'err-text', title: reason, testid: 'dead-letter-reason' },
          d.errorCode ? `[${d.errorCode}] ${reason}` : reason,
        ),
        el('td', {}, deadLetterMessage(d)),
      );
    }),
  );
  const count = $('dead-letter-count');
  count.textContent = String(state.deadLetterTotal);
  count.toggleAttribute('data-zero', state.deadLetterTotal === 0);
  $('dead-letters-empty').hidden = rows.length > 0;
  $('dead-letters-more').hidden = state.deadLettersBefore === null;
}

export function wireDeadLetters(): void {
  $('dead-letters-more').addEventListener('click', () => {
    if (state.deadLettersBefore !== null) loadDeadLetters(state.deadLettersBefore).catch(showError);
  });
}
