-- I2 `entrees_supplementaires` (indicators.md): entries of the period minus entries of the same period of 2018,
-- the Pact's baseline year (var baseline_year), for every cell of I1. A cell with entries on one side only counts
-- zero on the other. Secret when either count is below the threshold. The query is macro
-- entries_against_baseline, which `indicators` also calls, on the I1 rows it writes (the years it rewrites, in an
-- incremental build), so that I1 is rolled up once there.
{{ entries_against_baseline(ref('ind_entrees')) }}
