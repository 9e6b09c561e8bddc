-- I2 `entrees_supplementaires` (indicators.md): entries of the period minus entries of the same period of 2018,
-- the Pact's baseline year (var baseline_year), for every cell of I1. A cell with entries on one side only counts
-- zero on the other. Secret when either count is below the threshold. The query is macro
-- entries_against_baseline, which an incremental build of `indicators` calls for the years it rewrites.
{{ entries_against_baseline(ref('ind_entrees')) }}
