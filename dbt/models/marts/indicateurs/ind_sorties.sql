-- Outcomes of exits (indicators.md), among entries with a person key whose exit date falls in the period:
--   I4 taux_acces_emploi_6m     share hired (30 days or more, a CDI counts) within [exit, exit + 183 days]
--   I4 taux_emploi_durable_6m   the same, counting only CDI or CDD of 183 days or more
--   I8 taux_parcours_enchaines  share followed by another entry of the person within [exit, exit + 90 days]
-- I4 is published by year, quarter and month; I8 by year.
select * from (
    {{ entry_indicators(ref('ind_cube__sorties'), 'exits', [
        {'name': 'taux_acces_emploi_6m', 'numerator': 'hired_6m'},
        {'name': 'taux_emploi_durable_6m', 'numerator': 'durable_hired_6m'},
    ]) }}
) as access_to_employment

union all

select * from (
    {{ entry_indicators(ref('ind_cube__sorties'), 'exits', [
        {'name': 'taux_parcours_enchaines', 'numerator': 'next_entry_90d'},
    ], period_types=['year']) }}
) as successive_trainings
