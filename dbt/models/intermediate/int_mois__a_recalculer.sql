-- On an incremental build, the months whose cube rows are recomputed: every month an entry or an exit of a changed
-- person falls in, before (int_entrees__perimetre_precedent) or after this build (fct_entrees); and for records
-- without a person key (each an entry of its own), the months of those that changed (old and new versions
-- compared). Empty on a full build.
-- depends_on: {{ ref('int_stagiaires__sans_cle_precedents') }} See macros/incremental.sql.
{%- set incremental = incremental_build() %}
with unkeyed_changes as (

    {% if incremental -%}
    (select * from {{ ref('int_stagiaires__sans_cle_precedents') }}
     except
     select * from {{ ref('int_stagiaires__enregistrements') }} where person_key is null)
    union all
    (select * from {{ ref('int_stagiaires__enregistrements') }} where person_key is null
     except
     select * from {{ ref('int_stagiaires__sans_cle_precedents') }})
    {%- else -%}
    select cast(null as date) as start_date, cast(null as date) as exit_date where 1 = 0
    {%- endif %}

),

touched as (

    select entry_date as day from {{ ref('int_entrees__perimetre_precedent') }}
    union all
    select exit_date from {{ ref('int_entrees__perimetre_precedent') }}
    union all
    select entry_date from {{ ref('fct_entrees') }}
    where {{ of_changed_persons('person_key', incremental, with_unkeyed=false) }}
    union all
    select exit_date from {{ ref('fct_entrees') }}
    where {{ of_changed_persons('person_key', incremental, with_unkeyed=false) }}
    union all
    select start_date from unkeyed_changes
    union all
    select exit_date from unkeyed_changes

)

select distinct cast({{ dbt.date_trunc('month', 'day') }} as date) as month_start
from touched
where day is not null {% if not incremental %}and 1 = 0{% endif %}
