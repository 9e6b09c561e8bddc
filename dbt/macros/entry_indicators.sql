{#-
    Indicators counted over entries or exits, in the published long shape, for every breakdown: a roll-up of a
    monthly cube (ind_cube__entrees, ind_cube__sorties) to each period type and territorial level.

    `cube`: the cube relation. `population`: its count column, the denominator of shares (`entries`, `exits`).
    `indicators`: list of {name, numerator}: `numerator` is the cube's measure counting the rows of the population
    that meet the indicator's condition (a share: numerator / population), or none for a count of the population.
    `period_types`: the periods published (default: var indicator_period_types, year, quarter and month). Cells
    whose population is zero are left out.
-#}
{% macro entry_indicators(cube, population, indicators, period_types=none) %}
{%- set period_types = period_types or var('indicator_period_types') %}
with axes as (

    {{ period_territory_axes(cube, 'month_start',
        ['breakdown', 'breakdown_value', population]
        + (indicators | selectattr('numerator') | map(attribute='numerator') | list),
        period_types=period_types) }}

),

aggregated as (

    select
        period_type,
        period,
        territory_level,
        territory_code,
        breakdown,
        breakdown_value,
        sum({{ population }}) as population
        {%- for indicator in indicators if indicator.numerator is not none %},
        sum({{ indicator.numerator }}) as {{ indicator.name }}
        {%- endfor %}
    from axes
    group by period_type, period, territory_level, territory_code, breakdown, breakdown_value
    having sum({{ population }}) > 0

)

{% for indicator in indicators %}
select
    '{{ indicator.name }}' as indicator,
    period_type,
    period,
    territory_level,
    territory_code,
    breakdown,
    breakdown_value,
    {%- if indicator.numerator is none %}
    cast(population as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast(population as {{ type_double() }}) as value,
    {{ is_secret('population', 'null') }} as is_secret
    {%- else %}
    cast({{ indicator.name }} as {{ type_double() }}) as numerator,
    cast(population as {{ type_double() }}) as denominator,
    cast({{ indicator.name }} as {{ type_double() }}) / population as value,
    {{ is_secret(indicator.name, 'population') }} as is_secret
    {%- endif %}
from aggregated
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endmacro %}
