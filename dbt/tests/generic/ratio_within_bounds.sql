{#- A ratio row has 0 <= numerator <= denominator and value = numerator / denominator. -#}
{% test ratio_within_bounds(model) %}
select *
from {{ model }}
where denominator is not null
  and (numerator < 0 or numerator > denominator
       or (denominator > 0 and abs(value - numerator / denominator) > 1e-12))
{% endtest %}
