with hirings as (

    {{ current_rows('france_travail', 'reprises_emploi') }}

)

select
    {{ key_hash('individu_hmac') }} as person_key,
    individu_hmac as person_hmac,
    {{ french_date('date_embauche') }} as hiring_date,
    trim(type_contrat) as contract_type,
    cast(nullif(trim(duree_contrat_jours), '') as integer) as contract_days,
    trim(code_rome) as rome_code,
    {{ commune_code('commune_employeur') }} as employer_commune_code,
    _source_file as source_file,
    _source_line as source_line
from hirings
