{#- Rows where `column_name` is below zero. On a recomputed cube cell, a negative count means the old
    contributions subtracted were not what the cube held: the incremental cube would drift from a full build. -#}
{% test not_negative(model, column_name) %}
select * from {{ model }} where {{ column_name }} < 0
{% endtest %}
