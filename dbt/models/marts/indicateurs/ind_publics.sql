-- I3: shares of entries by public (indicators.md). Denominator: all entries of the cell.
--   part_peu_qualifies  level below the bac (niveaux_formation.est_infra_bac)
--   part_jeunes         under var('young_age_limit') years at the entry's date
--   part_qpv            living in a QPV (quartier prioritaire de la politique de la ville)
--   part_rsa            receiving the RSA
--   part_th             recognised as disabled workers (travailleurs handicapés, BOE)
-- The conditions are counted in ind_cube__entrees. An unknown trait does not meet the condition but stays in the denominator.
{{ entry_indicators(ref('ind_cube__entrees'), 'entries', [
    {'name': 'part_peu_qualifies', 'numerator': 'infra_bac'},
    {'name': 'part_jeunes', 'numerator': 'jeunes'},
    {'name': 'part_qpv', 'numerator': 'qpv'},
    {'name': 'part_rsa', 'numerator': 'rsa'},
    {'name': 'part_th', 'numerator': 'th'},
]) }}
