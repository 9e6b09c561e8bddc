with stock as (

    {{ current_rows('france_travail', 'demandeurs_emploi') }}

)

select
    {{ dbt.concat(["substr(trim(trimestre), 1, 4)", "'-T'", "substr(trim(trimestre), 6, 1)"]) }} as quarter,
    cast(substr(trim(trimestre), 1, 4) as integer) as year,
    {{ padded_code('code_departement', 2) }} as departement_code,
    trim(categorie) as job_seeker_category,
    trim(niveau_formation) as level_band,
    trim(tranche_age) as age_band,
    {{ french_number('nb_demandeurs') }} as job_seekers,
    {{ is_withheld('nb_demandeurs') }} as is_withheld
from stock
