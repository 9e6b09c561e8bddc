{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons() }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- Every trainee record of every source, in one shape: the input of entry deduplication.
-- `source_rank` orders sources where indicators.md says France Travail comes first.
{%- set columns = ['record_id', 'source_system', 'person_key', 'action_id', 'start_date', 'exit_date', 'formacode',
                   'rome_code',
                   'scheme_code', 'level_code', 'commune_code', 'age_at_start', 'days_since_birthday', 'is_qpv',
                   'is_rsa', 'is_disabled_worker'] %}

select
    {{ columns | join(',\n    ') }},
    funder_codes,
    1 as source_rank
from {{ ref('stg_france_travail__stagiaires') }}
where {{ of_changed_persons('person_key') }}

union all

select
    {{ columns | join(',\n    ') }},
    -- A Région record's funder is the Conseil régional (code 2), added in bridge_entrees_financeurs.
    cast(null as {{ dbt.type_string() }}) as funder_codes,
    2 as source_rank
from {{ ref('stg_financeurs__region_stagiaires') }}
where {{ of_changed_persons('person_key') }}
