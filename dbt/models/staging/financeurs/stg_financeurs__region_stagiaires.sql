with current_rows as (

    {{ current_rows('financeurs', 'region_stagiaires') }}

),

versioned as (

    -- As for France Travail: a record reappears when it changes, and the latest month's version wins.
    select
        current_rows.*,
        row_number() over (
            partition by stagiaire_hmac, {{ adapter.quote('Numéro Action') }}
            order by _period desc, _source_line desc
        ) as version_rank
    from current_rows

)

select
    {{ region_record_id('stagiaire_hmac', adapter.quote('Numéro Action')) }} as record_id,
    'region' as source_system,
    stagiaire_hmac as trainee_key,
    {{ key_hash('individu_hmac') }} as person_key,
    individu_hmac as person_hmac,
    trim({{ adapter.quote('Numéro Action') }}) as action_id,
    trim({{ adapter.quote('Libellé Action') }}) as action_title,
    trim({{ adapter.quote('SIRET') }}) as provider_siret,
    {{ french_date(adapter.quote('Date Entree')) }} as start_date,
    {{ french_date(adapter.quote('Date Sortie Prevue')) }} as planned_end_date,
    {{ french_date(adapter.quote('Date Sortie')) }} as exit_date,
    trim({{ adapter.quote('Formacode') }}) as formacode,
    trim({{ adapter.quote('Code ROME Visé') }}) as rome_code,
    trim({{ adapter.quote('Dispositif') }}) as scheme_code,
    trim({{ adapter.quote('Niveau Formation') }}) as level_code,
    trim({{ adapter.quote('Sexe') }}) as sex_code,
    {{ commune_code(adapter.quote('Code Commune')) }} as commune_code,
    age_debut as age_at_start,
    jours_depuis_anniversaire as days_since_birthday,
    {{ yes_no_flag(adapter.quote('QPV'), 'Oui', 'Non') }} as is_qpv,
    {{ yes_no_flag(adapter.quote('RSA'), 'Oui', 'Non') }} as is_rsa,
    {{ yes_no_flag(adapter.quote('RQTH'), 'Oui', 'Non') }} as is_disabled_worker,
    {{ french_number(adapter.quote('Coût Pédagogique')) }} as training_cost,
    {{ french_number(adapter.quote('Heures Centre')) }} as hours_in_centre,
    {{ french_number(adapter.quote('Heures Entreprise')) }} as hours_in_company,
    _source_file as source_file,
    _source_line as source_line,
    _period as source_period
from versioned
where version_rank = 1
