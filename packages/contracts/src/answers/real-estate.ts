/** Real-estate registration centre (不动产登记中心) answers: unit inquiry, and seal / renew-seal / unseal. */
import { isRealEstateUnitNo } from '@hub/domain';
import { z } from 'zod';
import { assetHoldsSchema, day, fen, issue, measureReceiptSchema, text } from './shared.js';

const unitNo = z.string().refine(isRealEstateUnitNo, issue('INVALID_UNIT_NO'));

const mortgageSchema = z.strictObject({
  mortgagee: text(128),
  amountFen: fen, // 最高额抵押: the maximum secured amount
  until: day,
});

export const realEstateQuerySchema = z.strictObject({
  units: z
    .array(
      z.strictObject({
        unitNo,
        address: text(256),
        areaM2: z.number().positive().multipleOf(0.01), // registered to the hundredth of a square metre
        use: z.enum(['residential', 'commercial', 'industrial', 'land', 'other']),
        share: text(32), // as registered: '1/2', '全部', '共同共有' …
        certificateNo: text(64), // e.g. 川(2021)成都市不动产权第0123456号
        mortgages: z.array(mortgageSchema).max(50),
        holds: assetHoldsSchema,
      }),
    )
    .max(1000),
});

export const realEstateSealSchema = z.strictObject({ unitNo, receipt: measureReceiptSchema });

export const REAL_ESTATE_RESULT_SCHEMAS = {
  query: realEstateQuerySchema,
  seal: realEstateSealSchema,
  'renew-seal': realEstateSealSchema,
  unseal: realEstateSealSchema,
} as const;

export type RealEstateQueryResult = z.infer<typeof realEstateQuerySchema>;
export type RealEstateSealResult = z.infer<typeof realEstateSealSchema>;
