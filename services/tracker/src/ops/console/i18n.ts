import { CONSOLE_LABELS } from '../labels.ts';
import { state } from './state.ts';

type Groups = Omit<typeof CONSOLE_LABELS, 'ui'>;
export type UiKey = keyof typeof CONSOLE_LABELS.ui;

/** A UI text in the chosen language; an unknown key shows as itself. */
export const t = (key: UiKey | string): string =>
  (CONSOLE_LABELS.ui as Record<string, { zh: string; en: string }>)[key]?.[state.lang] ?? key;

/** A domain value's label (agency, measure, status, event); unknown values show as they are. */
export const label = (group: keyof Groups, key: string | null | undefined): string => {
  const labels = CONSOLE_LABELS[group] as Record<string, { zh: string; en: string }>;
  return key && labels[key] ? labels[key][state.lang] : key || '—';
};

/** `{name}` placeholders filled from values. */
export const fill = (text: string, values: Record<string, unknown>): string =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));
