/**
 * The ops console's script (entry point): bundled at tracker start by console-bundle.ts and loaded by
 * console.html as a module. Live SLA breaches over SSE, agencies, holds running out, search, a notice's
 * timeline, punishment notices confirmed late, dead letters.
 */
import { loadAgencies, renderAgencies } from './agencies.ts';
import { renderBreaches } from './breaches.ts';
import { loadDeadLetters, renderDeadLetters, wireDeadLetters } from './dead-letters.ts';
import { $, showError } from './dom.ts';
import { loadHolds, renderHolds } from './holds.ts';
import { t } from './i18n.ts';
import { loadLatePunishments, renderLatePunishments, wireLatePunishments } from './late-punishments.ts';
import { renderNotice, renderResults, search, showNotice } from './notice.ts';
import { state, storeLang } from './state.ts';
import { connect, setStream } from './stream.ts';

function applyLang(): void {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n ?? '');
  }
  for (const node of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder ?? '');
  }
  const toggle = $('lang-toggle');
  toggle.textContent = state.lang === 'zh' ? 'English' : '中文';
  toggle.setAttribute('aria-label', state.lang === 'zh' ? 'Switch to English' : '切换到中文');
  setStream(state.stream);
  renderBreaches();
  renderAgencies();
  renderHolds();
  renderLatePunishments();
  renderResults();
  renderNotice();
  renderDeadLetters();
}

$('lang-toggle').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  storeLang(state.lang);
  applyLang();
});

$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  search($<HTMLInputElement>('search-input').value.trim()).catch(showError);
});

wireDeadLetters();
wireLatePunishments();

setInterval(() => {
  if (state.stream === 'live')
    Promise.all([loadAgencies(), loadHolds(), loadLatePunishments(), loadDeadLetters()]).catch(showError);
}, 15000);

applyLang();
connect();
const linked = /^#notice=([0-9a-f-]{36})$/i.exec(location.hash);
if (linked?.[1]) showNotice(linked[1]);
