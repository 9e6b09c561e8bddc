{#- How the raw layer reaches each engine (ingestion/engines.py, docs/scaling.md). DuckDB and PostgreSQL have the
    raw tables in their `raw` schema already; on Spark the ingestion step wrote them as Parquet folders under
    $PRIC_SPARK_DIR/raw/<table>/, registered here as external tables at the start of each dbt invocation
    (on-run-start), so that a new landing file is seen without a metastore refresh. -#}
{% macro register_raw_sources() %}
    {{ return(adapter.dispatch('register_raw_sources', 'pric')()) }}
{% endmacro %}

{% macro default__register_raw_sources() %}
    select 1
{% endmacro %}

{% macro spark__register_raw_sources() %}
    {%- if execute %}
    {%- set raw_dir = env_var('PRIC_SPARK_DIR', env_var('PRIC_HOME', 'data') ~ '/spark') ~ '/raw' %}
    {%- set identifiers = [] %}
    {%- for source in graph.sources.values() %}
        {%- if source.identifier not in identifiers %}{% do identifiers.append(source.identifier) %}{% endif %}
    {%- endfor %}
    {% do run_query('create database if not exists raw') %}
    {%- for identifier in identifiers | sort %}
    {% do run_query('drop table if exists raw.' ~ identifier) %}
    {% do run_query("create table raw." ~ identifier ~ " using parquet location '" ~ raw_dir ~ "/" ~ identifier ~ "'") %}
    {%- endfor %}
    {%- endif %}
    select 1
{% endmacro %}
