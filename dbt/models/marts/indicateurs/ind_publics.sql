-- I3: shares of entries by public (indicators.md). Denominator: all entries of the cell.
--   part_peu_qualifies  level below the bac (niveaux_formation.est_infra_bac)
--   part_jeunes         under var('young_age_limit') years at the entry's date
--   part_qpv            living in a QPV (quartier prioritaire de la politique de la ville)
--   part_rsa            receiving the RSA
--   part_th             recognised as disabled workers (travailleurs handicapés, BOE)
-- An unknown trait does not meet the condition but stays in the denominator.
{{ entry_indicators(ref('ind_axes__entrees'), [
    {'name': 'part_peu_qualifies', 'numerator': 'is_infra_bac'},
    {'name': 'part_jeunes', 'numerator': 'age_at_entry < ' ~ var('young_age_limit')},
    {'name': 'part_qpv', 'numerator': 'is_qpv'},
    {'name': 'part_rsa', 'numerator': 'is_rsa'},
    {'name': 'part_th', 'numerator': 'is_disabled_worker'},
]) }}
