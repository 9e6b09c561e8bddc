{#-
    Indicators counted over entries, in the published long shape, for the whole ("ensemble") and by funder.

    `indicators`: list of {name, numerator}: `numerator` is a SQL condition on the entry for a share
    (numerator = entries meeting it, denominator = all entries), or none for a plain count of entries.
    One aggregation computes every indicator of the list, then one select per indicator unpivots it.
-#}
{% macro entry_indicators(indicators) %}
with axes as (

    select * from {{ ref('int_entrees__axes') }}

),

by_breakdown as (

    select axes.*, 'ensemble' as breakdown, 'ensemble' as breakdown_value
    from axes

    union all

    -- An entry counts once under each of its funders.
    select axes.*, 'financeur' as breakdown, funders.code_financeur as breakdown_value
    from axes
    inner join {{ ref('bridge_entrees_financeurs') }} as funders
        on axes.entry_id = funders.entry_id

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
    cast(entries as {{ type_double() }}) as value
    {%- else %}
    cast({{ indicator.name }} as {{ type_double() }}) as numerator,
    cast(entries as {{ type_double() }}) as denominator,
    cast({{ indicator.name }} as {{ type_double() }}) / entries as value
    {%- endif %}
from aggregated
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endmacro %}
