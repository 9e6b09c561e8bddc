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

{#- Seeds declare their text columns as varchar (DuckDB, PostgreSQL); Spark wants string (varchar needs a length
    there). dbt-spark's own seed macros, with that translation of the declared types, and values written as
    escaped literals (its session mode pastes them into the SQL unescaped: "l'emploi" breaks the statement). -#}
{% macro spark_seed_column_type(model, agate_table, index) %}
    {%- set declared = model['config'].get('column_types', {}).get(agate_table.column_names[index]) -%}
    {%- set column_type = declared or adapter.convert_type(agate_table, index) -%}
    {{- return('string' if column_type | lower == 'varchar' else column_type) -}}
{% endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }}
            {{ spark_seed_column_type(model, agate_table, loop.index0) }}
            {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
  {% endset %}
  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set types = [] -%}
  {%- for col_name in agate_table.column_names -%}
      {%- do types.append(spark_seed_column_type(model, agate_table, loop.index0)) -%}
  {%- endfor -%}
  {% set sql %}
    insert into {{ this.render() }} values
    {% for row in agate_table.rows -%}
        ({%- for value in row -%}
            {%- if value is none -%}cast(null as {{ types[loop.index0] }})
            {%- else -%}cast('{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}' as {{ types[loop.index0] }})
            {%- endif -%}
            {%- if not loop.last %},{% endif -%}
        {%- endfor -%})
        {%- if not loop.last %},{% endif %}
    {% endfor %}
  {% endset %}
  {% do adapter.add_query(sql, abridge_sql_log=True) %}
  {{ return(sql) }}
{% endmacro %}
