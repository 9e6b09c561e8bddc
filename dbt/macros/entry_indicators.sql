{#-
    Indicators counted over entries or exits, in the published long shape, for every breakdown of
    ind_ventilations__entrees.

    `axes`: the relation of axes rows, `ref('ind_axes__entrees')`, `ref('ind_axes__sorties')` or a CTE of the
    calling model built with period_territory_axes. `indicators`: list of {name, numerator}: `numerator` is a SQL
    condition for a share (numerator = rows meeting it, denominator = all rows of the cell), or none for a count.
    `period_types`: the periods published. One aggregation computes every indicator of the list; one select per
    indicator unpivots it.
-#}
{% macro entry_indicators(axes, indicators, period_types=['year', 'quarter', 'month']) %}
with by_breakdown as (

    select axes.*, breakdowns.breakdown, breakdowns.breakdown_value
    from {{ axes }} as axes
    inner join {{ ref('ind_ventilations__entrees') }} as breakdowns
        on axes.entry_id = breakdowns.entry_id
    where axes.period_type in ('{{ period_types | join("', '") }}')

),

aggregated as (

    select
        period_type,
        period,
        territory_level,
        territory_code,
        breakdown,
        breakdown_value,
        count(*) as entries
        {%- for indicator in indicators if indicator.numerator is not none %},
        sum(case when {{ indicator.numerator }} then 1 else 0 end) as {{ indicator.name }}
        {%- endfor %}
    from by_breakdown
    group by period_type, period, territory_level, territory_code, breakdown, breakdown_value

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
    cast(entries as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast(entries as {{ type_double() }}) as value,
    {{ is_secret('entries', 'null') }} as is_secret
    {%- else %}
    cast({{ indicator.name }} as {{ type_double() }}) as numerator,
    cast(entries as {{ type_double() }}) as denominator,
    cast({{ indicator.name }} as {{ type_double() }}) / entries as value,
    {{ is_secret(indicator.name, 'entries') }} as is_secret
    {%- endif %}
from aggregated
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endmacro %}
