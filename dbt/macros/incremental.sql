{#-
    Incremental builds (docs/operations.md). `pric run` passes var `incremental_builds: true` and adds
    --full-refresh when a full build is due; the trainee and hiring files loaded since the start of the last build
    that succeeded (raw.ingestion__dbt_builds) name the persons whose records changed (int_personnes__modifiees).
    That time is read by the SQL, not passed as a var: vars that change from one build to the next make dbt parse
    the whole project again (3 s) instead of reusing its partial parse. Person-grain models delete and rebuild
    those persons only; the monthly cubes replace the cells those persons' entries and exits fall in, before and
    after, with the old value plus their new contributions minus their old ones (macros/cubes.sql). Records
    without a person key are rebuilt when their files changed (int_enregistrements_sans_personne__modifies).
    `indicators` rewrites the years holding a recomputed cube cell (macros/indicator_families.sql); everything
    else is rebuilt in full.
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

{#- The files (feed, file_path) of every (feed, period) that received a file since the start of the last build
    that succeeded, current or superseded: what they held before and hold now changed. No rows on a full build. -#}
{% macro files_of_changed_periods() -%}
    {#- Both sources named on every render: dbt records a model's sources when it parses it, on a full build. -#}
    {%- set builds = source('ingestion', 'dbt_builds') %}
    select files.feed, files.file_path
    from {{ source('ingestion', 'manifest') }} as files
    inner join (
        select distinct feed, period
        from {{ source('ingestion', 'manifest') }}
        where status = 'loaded'
          and {% if incremental_build() %}{{ after_last_build('loaded_at', builds) }}{% else %}1 = 0{% endif %}
    ) as changed
        on files.feed = changed.feed
       and files.period = changed.period
{%- endmacro %}

{#- Where-condition selecting the rows of changed persons (all rows on a full build). `changed`: the relation of
    int_personnes__modifiees where ref() cannot be used (macros/changed_rows_tests.sql). `changed_column`:
    `person_hmac` where the rows are a staging view's: filtering on the raw column lets DuckDB apply the filter in
    the raw table's scan, where person_key, a hash computed by the view, would hash all 10 M rows and read all
    their columns first (int_stagiaires__enregistrements 16 s -> 25 s in the national added month).
    `with_unkeyed`: also the rows without a person key that the build rebuilds, those whose `unkeyed_id` (a
    `record_id` or `entry_id` column) int_enregistrements_sans_personne__modifies names; all rows without a person
    key when `unkeyed_id` is none. -#}
{% macro of_changed_persons(person_column, incremental=none, with_unkeyed=true, changed=none,
                            changed_column='person_key', unkeyed_id=none) -%}
    {%- set incremental = pric_incremental() if incremental is none else incremental -%}
    {%- if incremental -%}
    {%- set changed = changed if changed else ref('int_personnes__modifiees') %}
    ({{ person_column }} in (select {{ changed_column }} from {{ changed }})
     {%- if with_unkeyed %} or ({{ person_column }} is null
        {%- if unkeyed_id %} and {{ unkeyed_id }} in (select {{ unkeyed_id }}
            from {{ ref('int_enregistrements_sans_personne__modifies') }}){% endif %}){% endif %})
    {%- else -%}
    1 = 1
    {%- endif -%}
{%- endmacro %}

{#- The rows of `relation` a build rebuilds, as a query: on an incremental build, the changed persons' rows (their
    `person_column` in int_personnes__modifiees' `changed_column`), then the rows without a person key whose
    `unkeyed_id` int_enregistrements_sans_personne__modifies names; every row otherwise. Two selects, not one OR:
    DuckDB applies a condition on the person column alone in the table's scan (where row groups without a NULL
    can be skipped), and computes the key of a row without person (a hash, in a staging view) for those rows only. -#}
{% macro rows_to_rebuild(relation, person_column='person_key', changed_column='person_key', unkeyed_id='record_id',
                         incremental=none) -%}
    {%- set incremental = pric_incremental() if incremental is none else incremental -%}
    {%- if incremental -%}
    select * from {{ relation }}
    where {{ person_column }} in (select {{ changed_column }} from {{ ref('int_personnes__modifiees') }})
    union all
    select * from {{ relation }}
    where {{ person_column }} is null
      and {{ unkeyed_id }} in (select {{ unkeyed_id }} from {{ ref('int_enregistrements_sans_personne__modifies') }})
    {%- else -%}
    select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of person-grain incremental models: remove the changed persons' rows, and the rebuilt rows without a
    person key (`unkeyed_id`: the table's `record_id` or `entry_id`; none for a table that holds no such rows),
    before inserting them again. -#}
{% macro delete_changed_persons(unkeyed_id=none, person_column='person_key') -%}
    {%- if pric_incremental() -%}
    delete from {{ this }}
    where {{ of_changed_persons(person_column, true, with_unkeyed=unkeyed_id is not none, unkeyed_id=unkeyed_id) }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

