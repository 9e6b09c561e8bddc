{#-
    Incremental builds (docs/operations.md). `pric run` passes var `incremental_builds: true` and adds
    --full-refresh when a full build is due; the trainee and hiring files loaded since the start of the last build
    that succeeded (raw.ingestion__dbt_builds) name the persons whose records changed (int_personnes__modifiees).
    That time is read by the SQL, not passed as a var: vars that change from one build to the next make dbt parse
    the whole project again (3 s) instead of reusing its partial parse. Person-grain models delete and rebuild
    those persons only; the monthly cubes replace the cells those persons' entries and exits fall in, before and
    after, with the old value plus their new contributions minus their old ones (macros/cubes.sql). Records
    without a person key are few and always rebuilt. `indicators` rewrites the years holding a recomputed cube
    cell (macros/indicator_families.sql); everything else is rebuilt in full.
-#}

{#- True when this build updates what changed (var incremental_builds and no --full-refresh). -#}
{% macro incremental_build() -%}
    {{ return(var('incremental_builds', false) and not flags.FULL_REFRESH) }}
{%- endmacro %}

{#- Where-condition: `column` (a load or replacement time) falls after the start of the last build that succeeded,
    recorded in `builds` (source ingestion.dbt_builds). What "changed since the last build" means, everywhere. -#}
{% macro after_last_build(column, builds) -%}
    {{ column }} > (select max(started_at) from {{ builds }})
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

{#- Where-condition selecting the rows of changed persons (all rows on a full build). `changed`: the relation of
    int_personnes__modifiees where ref() cannot be used (macros/changed_rows_tests.sql). `changed_column`:
    `person_hmac` where the rows are a staging view's: filtering on the raw column lets DuckDB apply the filter in
    the raw table's scan, where person_key, a hash computed by the view, would hash all 10 M rows and read all
    their columns first (int_stagiaires__enregistrements 16 s -> 25 s in the national added month). -#}
{% macro of_changed_persons(person_column, incremental=none, with_unkeyed=true, changed=none,
                            changed_column='person_key') -%}
    {%- set incremental = pric_incremental() if incremental is none else incremental -%}
    {%- if incremental -%}
    {%- set changed = changed if changed else ref('int_personnes__modifiees') %}
    ({{ person_column }} in (select {{ changed_column }} from {{ changed }})
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

