select
    lheo_namespace,
    trim(formation_numero) as formation_id,
    intitule_formation as formation_title,
    trim(formacode_principal) as formacode,
    formacodes,
    codes_nsf as nsf_codes,
    codes_rome as rome_codes,
    trim(code_rncp) as rncp_code,
    trim(code_certifinfo) as certifinfo_code,
    trim(code_niveau_sortie) as exit_level_code,
    trim(action_numero) as action_id,
    {{ commune_code('code_insee_lieu') }} as training_commune_code,
    codes_financeurs as funder_codes,
    nb_places_financees as places_funded,
    trim(session_numero) as session_id,
    cast(date_debut as date) as session_start_date,
    cast(date_fin as date) as session_end_date
from (
    {{ current_rows('referentiels', 'offre_sessions') }}
) as sessions
