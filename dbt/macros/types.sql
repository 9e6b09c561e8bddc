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
    {{ padded_code(column, 5) }}
{%- endmacro %}

{#- Figures as French sources write them ("12 300", "1 234,50", "16,61538462") as a double; a secrecy or
    missing marker ("*", "nd", "NC", "-", "n.d.", "s") gives NULL (unknown, never zero); see is_withheld. -#}
{% macro french_number(column) -%}
    case when {{ is_withheld(column) }} or trim({{ column }}) in ('-', '') then null
         else cast(replace(replace(replace(replace(trim({{ column }}), ' ', ''), '{{ "\u00a0" }}', ''),
                                   '{{ "\u202f" }}', ''), ',', '.') as {{ type_double() }})
    end
{%- endmacro %}

{#- True where the source withholds the figure (statistical secrecy), as opposed to a missing one. -#}
{% macro is_withheld(column) -%}
    coalesce(trim({{ column }}) in ('*', 'nd', 'NC', 'n.d.', 's'), false)
{%- endmacro %}

{#- "dd/mm/yyyy" (validated at load) as a date, without engine-specific date parsing. -#}
{% macro french_date(column) -%}
    case when trim({{ column }}) <> '' then
        cast({{ dbt.concat(["substr(trim(" ~ column ~ "), 7, 4)", "'-'", "substr(trim(" ~ column ~ "), 4, 2)",
                            "'-'", "substr(trim(" ~ column ~ "), 1, 2)"]) }} as date)
    end
{%- endmacro %}

{#- A code that lost its leading zeros to a spreadsheet ("203" for bassin "0203"), padded back to its width. -#}
{% macro padded_code(column, width) -%}
    case when length(trim({{ column }})) < {{ width }} and trim({{ column }}) not like '%A%'
              and trim({{ column }}) not like '%B%'
         then lpad(trim({{ column }}), {{ width }}, '0') else trim({{ column }}) end
{%- endmacro %}

{#- The landing sub-folder a file came from ("observatoires/btp/x.xlsx" -> "btp"). -#}
{% macro landing_subfolder(path_column, depth) -%}
    {{ return(adapter.dispatch('landing_subfolder', 'pric')(path_column, depth)) }}
{%- endmacro %}
{% macro default__landing_subfolder(path_column, depth) -%}
    split_part({{ path_column }}, '/', {{ depth }})
{%- endmacro %}
{% macro spark__landing_subfolder(path_column, depth) -%}
    split({{ path_column }}, '/')[{{ depth - 1 }}]
{%- endmacro %}
