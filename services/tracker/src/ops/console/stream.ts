import { loadAgencies } from './agencies.ts';
import type { TimelineEvent } from './api.ts';
import { isListed, loadBreaches, renderBreaches } from './breaches.ts';
import { loadDeadLetters } from './dead-letters.ts';
import { $, showError } from './dom.ts';
import { loadHolds } from './holds.ts';
import { t } from './i18n.ts';
import { loadLatePunishments } from './late-punishments.ts';
import { openNotice } from './notice.ts';
import { type StreamState, state } from './state.ts';

/** At most one run of `fn` per `ms`, however many calls come in between. */
const later = (fn: () => Promise<void>, ms: number) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        fn().catch(showError);
      }, ms);
    }
  };
};
const refreshAgencies = later(loadAgencies, 1000);
const refreshHolds = later(loadHolds, 300);
const refreshLatePunishments = later(() => loadLatePunishments(), 1000);
const refreshNotice = later(async () => {
  if (state.noticeId) await openNotice(state.noticeId);
}, 300);

function onTimeline(ev: TimelineEvent): void {
  if (ev.request) {
    const b = { ...ev.request, seenAt: performance.now() };
    const known = state.breaches.has(b.requestId);
    if (known || ev.event === 'RequestBreached' || ev.event === 'RequestEscalated') {
      if (isListed(b)) {
        if (!known) {
          state.fresh.add(b.requestId);
          setTimeout(() => state.fresh.delete(b.requestId), 3000);
        }
        state.breaches.set(b.requestId, b);
      } else {
        state.breaches.delete(b.requestId);
      }
      renderBreaches();
    }
    refreshAgencies();
    // A breach or an answer may put a punishment notice's request on the late list (or take it off).
    if (ev.event !== 'RequestDispatched') refreshLatePunishments();
  }
  if (ev.event === 'HoldExpiring' || ev.event === 'HoldLapsed') refreshHolds();
  if (ev.noticeId === state.noticeId) refreshNotice();
}

export function setStream(s: StreamState): void {
  state.stream = s;
  const box = document.querySelector<HTMLElement>('[data-testid=stream-status]');
  if (box) box.dataset.state = s;
  $('stream-text').textContent = t(s);
}

export function connect(): void {
  const source = new EventSource('/v1/ops/stream');
  // `ready` comes once the server has fixed this connection's cursor: a snapshot read after it
  // plus the events after it miss nothing. It comes again after every reconnect.
  source.addEventListener('ready', () => {
    Promise.all([loadBreaches(), loadAgencies(), loadHolds(), loadLatePunishments(), loadDeadLetters()])
      .then(() => {
        showError(null);
        setStream('live');
      })
      .catch(showError);
  });
  source.addEventListener('timeline', (e) => onTimeline(JSON.parse((e as MessageEvent<string>).data)));
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      setStream('down');
      setTimeout(connect, 5000);
    } else {
      setStream('connecting');
    }
  });
}
