/**
 * Whether an ID prefix a searcher typed fits a listing's ID as the public list shows it (first 6 and last 4 of
 * a resident ID, a credit code in full): each typed character equals the shown one, or falls on a hidden one.
 * The hub keeps no clear ID to match more closely.
 */
export function fitsVisibleId(shown: string, prefix: string): boolean {
  const typed = prefix.trim().toUpperCase();
  if (typed.length > shown.length) return false;
  for (let i = 0; i < typed.length; i++) {
    if (shown[i] !== '*' && shown[i] !== typed[i]) return false;
  }
  return true;
}

/**
 * fitsVisibleId as a regular expression, so that only the page is read for a common name: each typed character
 * matches itself or a hidden one (`*`). Anything but an ID's characters matches nothing (the gateway refuses it).
 */
export function visibleIdPattern(prefix: string): string {
  const typed = prefix.trim().toUpperCase();
  if (!/^[0-9A-Z]*$/.test(typed)) return '$.^';
  return `^${[...typed].map((c) => `[${c}*]`).join('')}`;
}
