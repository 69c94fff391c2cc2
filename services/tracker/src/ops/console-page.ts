import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface ConsolePage {
  html: string;
  /** Allows the page's own inline style, its script from this origin, and requests to this origin only. */
  contentSecurityPolicy: string;
}

const inlineHashes = (html: string, tag: 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );

/** The console's markup and style; its script is the bundle at /console.js (console-bundle.ts). */
export function loadConsolePage(): ConsolePage {
  const html = readFileSync(new URL('./console.html', import.meta.url), 'utf8');
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${inlineHashes(html, 'style').join(' ')}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
