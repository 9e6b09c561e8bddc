{#-
    Incremental builds (docs/operations.md). `pric run` passes var `changed_since` (the start of the last build
    that succeeded) unless it runs a full refresh; the trainee and hiring files loaded since then name the persons
    whose records changed (int_personnes__modifiees). Person-grain models delete and rebuild those persons only;
    the monthly cubes delete and rebuild the months those persons' entries and exits fall in, before and after
    (int_mois__a_recalculer). Records without a person key are few and always rebuilt. Everything else, `indicators`
    included (a roll-up of the cubes), is rebuilt in full.
-#}

{#- True when this build updates what changed (pric passed changed_since and no --full-refresh). -#}
{% macro incremental_build() -%}
    {{ return(var('changed_since', none) is not none and not flags.FULL_REFRESH) }}
{%- endmacro %}

{#- True when this incremental model updates its existing table instead of rebuilding it. -#}
{% macro pric_incremental() -%}
    {#- Unit tests have no `this` for is_incremental() to look at: they test the full build. -#}
    {{ return(incremental_build() and this is not none and is_incremental()) }}
{%- endmacro %}

{#- A model's table as it stands before this build (read before that model is updated), or none on a full build. -#}
{% macro previous_state(schema, identifier) -%}
    {%- if not incremental_build() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=target.database, schema=generate_schema_name(schema, none),
                                   identifier=identifier)) }}
{%- endmacro %}

{#- Where-condition selecting the rows of changed persons (all rows on a full build). -#}
{% macro of_changed_persons(person_column, incremental=none, with_unkeyed=true) -%}
    {%- set incremental = pric_incremental() if incremental is none else incremental -%}
    {%- if incremental -%}
    ({{ person_column }} in (select person_key from {{ ref('int_personnes__modifiees') }})
     {%- if with_unkeyed %} or {{ person_column }} is null{% endif %})
    {%- else -%}
    1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of person-grain incremental models: remove the changed persons' rows before inserting them again. -#}
{% macro delete_changed_persons(person_column='person_key') -%}
    {%- if pric_incremental() -%}
    delete from {{ this }} where {{ of_changed_persons(person_column, true) }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- Where-condition selecting the rows whose month (a date column) must be recomputed. -#}
{% macro in_months_to_recompute(date_column, incremental=none) -%}
    {%- set incremental = pric_incremental() if incremental is none else incremental -%}
    {%- if incremental -%}
    cast({{ dbt.date_trunc('month', date_column) }} as date) in (
        select month_start from {{ ref('int_mois__a_recalculer') }})
    {%- else -%}
    1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the monthly cubes: remove the months to recompute. -#}
{% macro delete_months_to_recompute() -%}
    {%- if pric_incremental() -%}
    delete from {{ this }} where {{ in_months_to_recompute('month_start', true) }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- One row per entry of the changed persons with everything the monthly cubes read of it, as one hash: its own
    columns, its funders, its schemes and its outcomes. An entry whose state is the same before and after a build
    leaves its months alone: a new month's persons have entries in every month of the history, but few of those
    entries change (their exit, its outcome). `entries`, `funders`, `schemes`, `outcomes`: fct_entrees,
    bridge_entrees_financeurs, bridge_entrees_dispositifs and fct_sorties, as they stand now or before the build. -#}
{% macro entry_states(entries, funders, schemes, outcomes) -%}
{%- set string = dbt.type_string() -%}
{%- set columns = ['entry_id', 'person_key', 'entry_date', 'exit_date', 'record_count', 'has_france_travail_record',
                   'has_region_record', 'formacode', 'rome_code', 'level_code', 'is_infra_bac', 'age_at_entry',
                   'is_qpv', 'is_rsa', 'is_disabled_worker', 'commune_code', 'departement_code', 'region_code',
                   'bassin_code', 'grouping_name', 'grouping_code'] -%}
{%- set parts = [] -%}
{%- for column in columns -%}
    {%- do parts.append("coalesce(cast(entries." ~ column ~ " as " ~ string ~ "), '~')") -%}
{%- endfor -%}
{%- for column in ['funders.codes', 'schemes.codes', 'cast(outcomes.hired_6m as ' ~ string ~ ')',
                   'cast(outcomes.durable_hired_6m as ' ~ string ~ ')',
                   'cast(outcomes.next_entry_90d as ' ~ string ~ ')'] -%}
    {%- do parts.append("coalesce(" ~ column ~ ", '~')") -%}
{%- endfor -%}
select
    entries.entry_id,
    entries.entry_date,
    entries.exit_date,
    {{ dbt.hash("concat_ws('|', " ~ parts | join(', ') ~ ")") }} as entry_state
from {{ entries }} as entries
left join (
    select entry_id, {{ dbt.listagg('code_financeur', "';'", 'order by code_financeur') }} as codes
    from {{ funders }}
    where {{ of_changed_persons('person_key', true, with_unkeyed=false) }}
    group by entry_id
) as funders
    on funders.entry_id = entries.entry_id
left join (
    select entry_id,
           {{ dbt.listagg(dbt.concat(['source_system', "':'", 'scheme_code']), "';'",
                          'order by source_system, scheme_code') }} as codes
    from {{ schemes }}
    where {{ of_changed_persons('person_key', true, with_unkeyed=false) }}
    group by entry_id
) as schemes
    on schemes.entry_id = entries.entry_id
left join {{ outcomes }} as outcomes
    on outcomes.entry_id = entries.entry_id
where {{ of_changed_persons('entries.person_key', true, with_unkeyed=false) }}
{%- endmacro %}
