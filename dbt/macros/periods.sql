{#- Period labels of the published table: year "2019", quarter "2019-T1", month "2019-01". -#}
{% macro period_label(period_type, date_column) -%}
    {%- set year = "cast(extract(year from " ~ date_column ~ ") as " ~ dbt.type_string() ~ ")" -%}
    {%- if period_type == 'year' -%}
        {{ year }}
    {%- elif period_type == 'quarter' -%}
        {{ dbt.concat([year, "'-T'", "cast(extract(quarter from " ~ date_column ~ ") as " ~ dbt.type_string() ~ ")"]) }}
    {%- elif period_type == 'month' -%}
        {{ dbt.concat([year, "'-'", "lpad(cast(extract(month from " ~ date_column ~ ") as " ~ dbt.type_string() ~ "), 2, '0')"]) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown period type " ~ period_type) }}
    {%- endif -%}
{%- endmacro %}
