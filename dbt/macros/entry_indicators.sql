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

{#-
    I2 (`entrees_supplementaires`, indicators.md): each cell of I1 from the baseline year on, minus the same cell of
    the same period of the baseline year (var baseline_year); a cell seen on one side only counts zero on the other.
    `entries`: rows of I1 (ind_entrees, or the part of it `indicators` rewrites: read once there for I1 and I2).
    `years`: the years to compute (text), or none for every year; `entries` must hold them and the baseline year
    (its other years are left aside).
-#}
{% macro entries_against_baseline(entries, years=none) %}
{%- set baseline_year = var('baseline_year') | string %}
with i1_cells as (

    select
        period_type,
        substr(period, 1, 4) as year,
        -- The period's position within its year ("" for a year, "-T2", "-05"), to meet the same one in the baseline.
        substr(period, 5) as within_year,
        territory_level,
        territory_code,
        breakdown,
        breakdown_value,
        numerator as entries
    from {{ entries }} as i1
    where substr(period, 1, 4) >= '{{ baseline_year }}'

),

current_period as (

    select * from i1_cells
    {%- if years is not none %}
    where year in ('{{ years | join("', '") }}')
    {%- endif %}

),

compared_years as (

    select distinct year from current_period

),

baseline as (

    -- The baseline's cells, once for every year compared with it.
    select
        compared_years.year,
        entries.period_type,
        entries.within_year,
        entries.territory_level,
        entries.territory_code,
        entries.breakdown,
        entries.breakdown_value,
        entries.entries
    from i1_cells as entries
    cross join compared_years
    where entries.year = '{{ baseline_year }}'

),

compared as (

    -- Every cell of a year or of the baseline, once for each year (every key column is not null).
    select
        coalesce(current_period.year, baseline.year) as year,
        coalesce(current_period.period_type, baseline.period_type) as period_type,
        coalesce(current_period.within_year, baseline.within_year) as within_year,
        coalesce(current_period.territory_level, baseline.territory_level) as territory_level,
        coalesce(current_period.territory_code, baseline.territory_code) as territory_code,
        coalesce(current_period.breakdown, baseline.breakdown) as breakdown,
        coalesce(current_period.breakdown_value, baseline.breakdown_value) as breakdown_value,
        coalesce(current_period.entries, 0) as entries,
        coalesce(baseline.entries, 0) as baseline_entries
    from current_period
    full outer join baseline
        on baseline.year = current_period.year
       and baseline.period_type = current_period.period_type
       and baseline.within_year = current_period.within_year
       and baseline.territory_level = current_period.territory_level
       and baseline.territory_code = current_period.territory_code
       and baseline.breakdown = current_period.breakdown
       and baseline.breakdown_value = current_period.breakdown_value

)

select
    'entrees_supplementaires' as indicator,
    period_type,
    {{ dbt.concat(['year', 'within_year']) }} as period,
    territory_level,
    territory_code,
    breakdown,
    breakdown_value,
    cast(entries - baseline_entries as {{ type_double() }}) as numerator,
    cast(null as {{ type_double() }}) as denominator,
    cast(entries - baseline_entries as {{ type_double() }}) as value,
    ({{ is_secret('entries', 'null') }}) or ({{ is_secret('baseline_entries', 'null') }}) as is_secret
from compared
{% endmacro %}
