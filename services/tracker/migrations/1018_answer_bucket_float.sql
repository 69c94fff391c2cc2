-- Up Migration

-- Issue 13 item 5: tracker_answer_bucket (1013) took the base-2 logarithm in numeric, some 10 µs a call: the console
-- panel's live first day (8,600 answers at 10 million requests) spent 90 ms in it, and every projected answer
-- pays it in the histogram triggers. The same buckets from a float8 logarithm (well under 1 µs): its error is below
-- 1e-13 on 16·log2(s) for any answer time, so where that value is more than 1e-9 from a whole number its floor is
-- the numeric one's; within 1e-9 of a bucket's edge (a time of 2^(k/16) s to within a few parts in 10^11: the whole
-- powers of two, and as good as none else) the numeric logarithm decides as before. The buckets are the same for
-- every input, so the expression indexes over it (1013) and the stored histograms stay valid without a rebuild
-- (the tracker's tests compare both definitions).
CREATE OR REPLACE FUNCTION tracker_answer_bucket(s numeric) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN s < 0 THEN -1 WHEN s < 1 THEN 0
      WHEN abs(16 * ln(s::float8) / ln(2::float8) - round(16 * ln(s::float8) / ln(2::float8))) > 1e-9
        THEN 1 + floor(16 * ln(s::float8) / ln(2::float8))::integer
      ELSE 1 + floor(16 * log(2, s))::integer END $$;

-- Down Migration

CREATE OR REPLACE FUNCTION tracker_answer_bucket(s numeric) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN s < 0 THEN -1 WHEN s < 1 THEN 0 ELSE 1 + floor(16 * log(2, s))::integer END $$;
