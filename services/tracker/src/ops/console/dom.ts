import { t } from './i18n.ts';
import { state } from './state.ts';

// Every value from the server goes into the page as text (textContent, attributes), never as markup.

type Child = Node | string | number | null | undefined | false | Child[];
type Props = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** The element with this id, which the page's markup guarantees. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`console markup lacks #${id}`);
  return node as T;
}

export function el(tag: string, props: Props | null, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') {
      if (k === 'onclick') node.addEventListener('click', v);
    } else if (k === 'class') node.className = String(v);
    else if (k === 'testid') node.dataset.testid = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of (children as unknown[]).flat(Number.POSITIVE_INFINITY)) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(
  tag: string,
  attrs: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}
const BAR_W = 110;
const BAR_H = 10;
export const widthOf = (value: number | null, max: number): number =>
  max > 0 && value !== null && value > 0 ? Math.max(2, (value / max) * BAR_W) : 0;

/** A small bar chart: a track and layers of [class, width], drawn in order. */
export function bars(title: string, layers: [string, number][]): SVGElement {
  return svg(
    'svg',
    { class: 'bar', width: BAR_W, height: BAR_H, viewBox: `0 0 ${BAR_W} ${BAR_H}`, role: 'img' },
    svg('title', {}, title),
    svg('rect', { class: 'track', width: BAR_W, height: BAR_H, rx: 2 }),
    ...layers.map(([cls, w]) => svg('rect', { class: cls, width: w.toFixed(1), height: BAR_H, rx: 2 })),
  );
}

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A timestamp in Beijing time (hub clock), or a dash. */
export function time(iso: string | null | undefined): HTMLElement {
  if (!iso) return el('span', { class: 'mono' }, '—');
  const d = new Date(iso);
  return el('time', { datetime: iso }, Number.isNaN(d.getTime()) ? iso : timeFormat.format(d));
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const u =
    state.lang === 'zh'
      ? { s: '秒', m: '分钟', h: '小时', d: '天' }
      : { s: ' s', m: ' min', h: ' h', d: ' d' };
  if (seconds < 90) return `${Math.round(seconds)}${u.s}`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}${u.m}`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)}${u.h}`;
  return `${(seconds / 86400).toFixed(1)}${u.d}`;
}

export function showError(err: unknown): void {
  const box = $('error');
  if (!err) {
    box.hidden = true;
    return;
  }
  box.textContent = `${t('loadFailed')}: ${err instanceof Error ? err.message : String(err)}`;
  box.hidden = false;
}
