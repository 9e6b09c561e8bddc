-- On an incremental build, the months whose cube rows are recomputed: the entry and exit months, before and after
-- this build, of every entry of a changed person whose state changed (int_entrees__perimetre_precedent against the
-- entries now: one that appeared, vanished, moved or changed a column, a funder, a scheme or an outcome); and for
-- records without a person key (each an entry of its own), the months of those that changed (old and new versions
-- compared). Empty on a full build.
-- See macros/incremental.sql. The refs below are only rendered on an incremental build: declared here for the DAG.
-- depends_on: {{ ref('int_stagiaires__sans_cle_precedents') }}
-- depends_on: {{ ref('int_stagiaires__enregistrements') }}
-- depends_on: {{ ref('int_entrees__perimetre_precedent') }}
-- depends_on: {{ ref('fct_entrees') }}
-- depends_on: {{ ref('bridge_entrees_financeurs') }}
-- depends_on: {{ ref('bridge_entrees_dispositifs') }}
-- depends_on: {{ ref('fct_sorties') }}
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

current_entries as (

    {% if incremental -%}
    {{ entry_states(ref('fct_entrees'), ref('bridge_entrees_financeurs'), ref('bridge_entrees_dispositifs'),
                    ref('fct_sorties')) }}
    {%- else -%}
    select cast(null as date) as entry_date, cast(null as date) as exit_date where 1 = 0
    {%- endif %}

),

changed_entries as (

    {% if incremental -%}
    select
        previous.entry_date as previous_entry_date,
        previous.exit_date as previous_exit_date,
        current_entries.entry_date,
        current_entries.exit_date
    from {{ ref('int_entrees__perimetre_precedent') }} as previous
    full outer join current_entries
        on previous.entry_id = current_entries.entry_id
    where previous.entry_id is null
       or current_entries.entry_id is null
       or coalesce(previous.entry_state, '') <> current_entries.entry_state
    {%- else -%}
    select
        cast(null as date) as previous_entry_date,
        cast(null as date) as previous_exit_date,
        cast(null as date) as entry_date,
        cast(null as date) as exit_date
    where 1 = 0
    {%- endif %}

),

touched as (

    select previous_entry_date as day from changed_entries
    union all
    select previous_exit_date from changed_entries
    union all
    select entry_date from changed_entries
    union all
    select exit_date from changed_entries
    union all
    select start_date from unkeyed_changes
    union all
    select exit_date from unkeyed_changes

)

select distinct cast({{ dbt.date_trunc('month', 'day') }} as date) as month_start
from touched
where day is not null {% if not incremental %}and 1 = 0{% endif %}
