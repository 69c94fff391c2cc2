/**
 * Public security (公安) answers: household registration (户籍), vehicles (交管) and exit/entry (出入境)
 * inquiry; vehicle seal / renew-seal / unseal; exit restriction; locating a person.
 */
import { isVehiclePlate } from '@hub/domain';
import { z } from 'zod';
import {
  assetHoldsSchema,
  day,
  instant,
  issue,
  measureReceiptSchema,
  punishmentResultSchema,
  registrationNo,
  text,
} from './shared.js';

const plate = z.string().refine(isVehiclePlate, issue('INVALID_PLATE'));
// ISO 3779 / GB 16735: 17 characters, never I, O or Q. The check character is not verified.
const vin = z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, issue('INVALID_VIN'));

export const publicSecurityQuerySchema = z.strictObject({
  household: z.strictObject({ address: text(256), registeredAt: day, householdHead: z.boolean() }).optional(),
  vehicles: z
    .array(z.strictObject({ plate, brand: text(64), vin, registeredAt: day, holds: assetHoldsSchema }))
    .max(200),
  exitEntry: z
    .array(
      z.strictObject({
        at: instant,
        port: text(64),
        direction: z.enum(['exit', 'entry']),
        document: text(64),
      }),
    )
    .max(1000),
});

export const vehicleSealSchema = z.strictObject({ plate, receipt: measureReceiptSchema });

export const restrictExitSchema = z.strictObject({ restricted: z.literal(true), until: day, registrationNo });

export const locateSchema = z.strictObject({
  found: z.boolean(),
  lastSeenAt: instant.optional(),
  place: text(256).optional(),
  source: z.enum(['hotel', 'transport', 'checkpoint', 'other']).optional(),
});

export const PUBLIC_SECURITY_RESULT_SCHEMAS = {
  query: publicSecurityQuerySchema,
  seal: vehicleSealSchema,
  'renew-seal': vehicleSealSchema,
  unseal: vehicleSealSchema,
  'restrict-exit': restrictExitSchema,
  // 解除限制出境: confirmed like every withdrawal of a punishment measure.
  'restrict-exit-lift': punishmentResultSchema,
  locate: locateSchema,
} as const;

export type PublicSecurityQueryResult = z.infer<typeof publicSecurityQuerySchema>;
export type VehicleSealResult = z.infer<typeof vehicleSealSchema>;
export type RestrictExitResult = z.infer<typeof restrictExitSchema>;
export type LocateResult = z.infer<typeof locateSchema>;
