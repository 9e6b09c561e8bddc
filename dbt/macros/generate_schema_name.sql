{#- Layers get plain schema names (staging, intermediate, marts, reference) rather than dbt's
    "<target schema>_<custom>", so BI users and extracts find `marts.indicators` under one stable name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
