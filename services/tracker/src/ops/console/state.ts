import type {
  AgencyRow,
  Breach,
  DeadLetter,
  ExpiringHold,
  LatePunishment,
  NoticeSummary,
  NoticeView,
} from './api.ts';

export type Lang = 'zh' | 'en';
export type StreamState = 'connecting' | 'live' | 'down';
/** A breach as listed, with when this page learnt of it (performance.now()). */
export type ListedBreach = Breach & { seenAt?: number };

const LANG_KEY = 'hub.console.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Everything the page shows; each panel renders from here alone. */
export const state = {
  lang: storedLang(),
  breaches: new Map<string, ListedBreach>(),
  fresh: new Set<string>(),
  agencies: null as AgencyRow[] | null,
  holds: null as ExpiringHold[] | null,
  latePunishments: null as LatePunishment[] | null,
  latePunishmentsCursor: null as string | null,
  windowDays: 30,
  results: null as NoticeSummary[] | null,
  noticeId: null as string | null,
  notice: null as NoticeView | null,
  noticeError: false,
  deadLetters: null as DeadLetter[] | null,
  deadLetterTotal: 0,
  deadLettersBefore: null as number | null,
  openDeadLetters: new Set<number>(),
  stream: 'connecting' as StreamState,
};
