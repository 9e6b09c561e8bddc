{#- The columns together identify a row (dbt-utils' test, written here to need no package download); the SQL is in
    macros/unique_combination.sql, per engine. -#}
{% test unique_combination(model, columns) %}
{{ adapter.dispatch('unique_combination_failures')(model, columns) }}
{% endtest %}
