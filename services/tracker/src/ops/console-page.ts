import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CONSOLE_LABELS } from './labels.js';

export interface ConsolePage {
  html: string;
  /** Allows exactly the page's own inline script and style, and requests to this origin only. */
  contentSecurityPolicy: string;
}

const inlineHashes = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );

/** The one self-contained console page, with its labels filled in; read once at boot. */
export function loadConsolePage(): ConsolePage {
  const template = readFileSync(new URL('./console.html', import.meta.url), 'utf8');
  // JSON inside <script> must not be able to close the element.
  const labels = JSON.stringify(CONSOLE_LABELS).replace(/</g, '\\u003c');
  const html = template.replace('"__LABELS__"', () => labels);
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${inlineHashes(html, 'script').join(' ')}`,
    `style-src ${inlineHashes(html, 'style').join(' ')}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
