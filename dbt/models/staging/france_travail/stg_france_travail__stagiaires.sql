-- Every version of every record in the current files: a record reappears in later months when it changes (its
-- exit date becomes known). int_stagiaires__enregistrements keeps the latest month's version, after an incremental
-- build has picked its persons, so that the version window runs over their rows only, not 10 M (the person is
-- part of the record's key; a filter cannot cross a window here).
with current_rows as (

    {{ current_rows('france_travail', 'stagiaires') }}

)

select
    {{ france_travail_record_id('individu_hmac', 'dc_numeroicsession') }} as record_id,
    'france_travail' as source_system,
    {{ key_hash('individu_hmac') }} as person_key,
    individu_hmac as person_hmac,
    trim(dc_numeroicsession) as session_id,
    trim(dc_numeroicaction) as action_id,
    {{ iso_date('dd_datedebutplanformation') }} as start_date,
    {{ iso_date('dd_datefinplanformation') }} as planned_end_date,
    {{ iso_date('dd_datesortieeffective') }} as exit_date,
    trim(c_motifsortie) as exit_reason,
    trim(dc_formacode_ppal_id) as formacode,
    trim(dc_rome_vise) as rome_code,
    trim(c_dispositifformation) as scheme_code,
    trim(liste_financeur) as funder_codes,
    trim(dc_niveauformation_id) as level_code,
    trim(dc_categorie_de) as job_seeker_category,
    trim(c_sexe) as sex_code,
    {{ commune_code('dc_commune_residence') }} as commune_code,
    age_debut as age_at_start,
    jours_depuis_anniversaire as days_since_birthday,
    {{ yes_no_flag('c_qpv') }} as is_qpv,
    {{ yes_no_flag('c_rsa') }} as is_rsa,
    {{ yes_no_flag('c_boe') }} as is_disabled_worker,
    _source_file as source_file,
    _source_line as source_line,
    _period as source_period
from current_rows
