{#- Ratio rows are consistent: value = numerator / denominator where both are known, no negative figure, and
    for shares (every indicator not listed in `unbounded`) numerator <= denominator. -#}
{% test ratio_within_bounds(model, unbounded=[]) %}
select *
from {{ model }}
where denominator is not null
  and (numerator < 0 or denominator < 0
       {%- if unbounded %}
       or (numerator > denominator and indicator not in ('{{ unbounded | join("', '") }}'))
       {%- else %}
       or numerator > denominator
       {%- endif %}
       or (denominator > 0 and value is not null and abs(value - numerator / denominator) > 1e-9 * (1 + abs(value))))
{% endtest %}
