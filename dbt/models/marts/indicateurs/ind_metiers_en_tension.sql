-- I6 `part_metiers_en_tension` (indicators.md): share of entries whose targeted ROME has ind_tension_d of
-- var('tension_threshold') (4) or more for the entry's bassin, in the tension file of the entry's year or the
-- latest earlier one. Entries before the first file are left out; a ROME × bassin absent from the file (or an
-- entry without bassin) is not in tension. The flags are counted in ind_cube__entrees. Yearly.
select * from (
    {{ entry_indicators(ref('ind_cube__entrees'), 'entries_after_first_tension_file',
                        [{'name': 'part_metiers_en_tension', 'numerator': 'in_tension'}], period_types=['year']) }}
) as shares
