{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons('record_id') }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- Every trainee record of every source, in one shape: the input of entry deduplication. A record is its latest
-- version (the Région's staging view picks it itself: its record key is the trainee, not the person).
-- `source_rank` orders sources where indicators.md says France Travail comes first; `source_record_id` is the
-- record's identifier in its source (France Travail's session, the Région's action), the tie-breaker that does not
-- depend on the pseudonymisation key (record_id, a hash of the keyed pseudonym, does).
{%- set columns = ['record_id', 'source_system', 'person_key', 'action_id', 'start_date', 'exit_date', 'formacode',
                   'rome_code',
                   'scheme_code', 'level_code', 'commune_code', 'age_at_start', 'days_since_birthday', 'is_qpv',
                   'is_rsa', 'is_disabled_worker', 'source_file'] %}

with france_travail_versions as (

    -- A France Travail record appears again in later months when it changes: the latest month's version wins.
    -- Picked here rather than in staging so that an incremental build windows over the changed persons' rows only.
    select
        records.*,
        row_number() over (
            partition by record_id
            order by source_period desc, source_line desc
        ) as version_rank
    from ({{ rows_to_rebuild(ref('stg_france_travail__stagiaires'), 'person_hmac', 'person_hmac') }}) as records

)

select
    {{ columns | join(',\n    ') }},
    session_id as source_record_id,
    funder_codes,
    cast(null as {{ type_double() }}) as training_cost,
    cast(null as {{ type_double() }}) as hours,
    1 as source_rank
from france_travail_versions
where version_rank = 1

union all

select
    {{ columns | join(',\n    ') }},
    action_id as source_record_id,
    -- A Région record's funder is the Conseil régional (code 2), added in bridge_entrees_financeurs.
    cast(null as {{ dbt.type_string() }}) as funder_codes,
    -- I7's costs and hours (ind_couts), kept here so that it reads this table and not the view's version window.
    coalesce(training_cost, 0) as training_cost,
    coalesce(hours_in_centre, 0) + coalesce(hours_in_company, 0) as hours,
    2 as source_rank
from {{ ref('stg_financeurs__region_stagiaires') }}
-- One condition, not rows_to_rebuild's two selects: the view's version window runs over all its rows either way
-- (no condition here is on its partition), and two selects would run it twice.
where {{ of_changed_persons('person_hmac', changed_column='person_hmac', unkeyed_id='record_id') }}
