import { z } from 'zod';

/**
 * A zod schema as JSON Schema for OpenAPI documents only; validation stays with zod, which reports field
 * paths our way.
 */
export function docSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  return rest;
}

/** The one error body every service answers with (`{ error: { code, message, details } }`). */
export const ERROR_BODY_DOC = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } },
    },
  },
};
