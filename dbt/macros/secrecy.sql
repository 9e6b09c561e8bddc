{#- Primary statistical secrecy (indicators.md, "Secrecy"): a count below var('secret_min_count'), or a ratio whose
    denominator is below var('secret_min_denominator'). Secondary suppression is applied to published forms. -#}
{% macro is_secret(numerator, denominator) -%}
    case when {{ denominator }} is null then {{ numerator }} < {{ var('secret_min_count') }}
         else {{ denominator }} < {{ var('secret_min_denominator') }} end
{%- endmacro %}
