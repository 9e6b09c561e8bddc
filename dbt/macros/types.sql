{#- A double-precision float on every engine (dbt.type_float() is 4-byte REAL on DuckDB). -#}
{% macro type_double() %}{{ return(adapter.dispatch('type_double', 'pric')()) }}{% endmacro %}
{% macro default__type_double() %}double precision{% endmacro %}
{% macro spark__type_double() %}double{% endmacro %}

{#- Text from a landing file's timestamp or date column ("2018-05-22 00:00:00.0", "2018-05-22"): the date part. -#}
{% macro iso_date(column) -%}
    cast(substr({{ column }}, 1, 10) as date)
{%- endmacro %}

{#- Flags written O/N in the source: true, false, or unknown. -#}
{% macro yes_no_flag(column, yes='O', no='N') -%}
    case trim({{ column }}) when '{{ yes }}' then true when '{{ no }}' then false end
{%- endmacro %}

{#- INSEE commune code as text with its leading zero (a spreadsheet turns "01001" into "1001"). -#}
{% macro commune_code(column) -%}
    case when length(trim({{ column }})) = 4 then {{ dbt.concat(["'0'", "trim(" ~ column ~ ")"]) }}
         else trim({{ column }}) end
{%- endmacro %}
