-- BMO: one row per wave × bassin × occupation. Secret figures (`*`) are NULL with their withheld flag set.
with survey as (

    {{ current_rows('france_travail', 'bmo') }}

)

select
    cast(trim(annee) as integer) as year,
    {{ padded_code('bassin_code', 4) }} as bassin_code,
    trim(bassin_nom) as bassin_name,
    trim(code_metier_bmo) as fap_code,
    trim(nom_metier_bmo) as fap_name,
    trim(famille_met) as occupation_family_code,
    trim(lbl_fam_met) as occupation_family_name,
    {{ padded_code('dept', 2) }} as departement_code,
    trim(reg) as region_code,
    {{ french_number('met') }} as recruitment_projects,
    {{ is_withheld('met') }} as recruitment_projects_withheld,
    {{ french_number('xmet') }} as difficult_projects,
    {{ is_withheld('xmet') }} as difficult_projects_withheld,
    {{ french_number('smet') }} as seasonal_projects,
    {{ is_withheld('smet') }} as seasonal_projects_withheld
from survey
