with files as (

    {{ current_rows('financeurs', 'cpf') }}

)

select
    _period as month,
    cast(substr(_period, 1, 4) as integer) as year,
    trim(code_region) as region_code,
    {{ padded_code('code_departement', 2) }} as departement_code,
    trim(type_referentiel) as certification_register,
    trim(code_rncp) as certification_code,
    trim(intitule_certification) as certification_title,
    trim(statut_dossier) as file_status,
    -- Cancelled files are not entries (feeds.md).
    trim(statut_dossier) = 'Annulé' as is_cancelled,
    trim(modalite_presence) as attendance_mode,
    cast(trim(nb_dossiers) as integer) as files_engaged,
    {{ french_number('montant_engage') }} as amount_committed,
    {{ french_number('duree_moyenne_heures') }} as mean_hours
from files
