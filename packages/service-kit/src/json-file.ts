import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './config.js';

/**
 * A JSON data file named by a variable (the holiday calendar, the SLA policy …), read once at boot and
 * validated with its zod schema; anything wrong fails fast naming the variable, the file and the field paths.
 */
export function readJsonFile<T>(variable: string, file: string, schema: z.ZodType<T>): T {
  const problem = (text: string) => new ConfigError([{ variable, problem: text }]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw problem(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw problem(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
