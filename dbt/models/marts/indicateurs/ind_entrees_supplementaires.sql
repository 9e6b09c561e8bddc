-- I2 `entrees_supplementaires` (indicators.md): entries of the period minus entries of the same period of 2018,
-- the Pact's baseline year (var baseline_year), for every cell of I1. A cell with entries on one side only counts
-- zero on the other. Secret when either count is below the threshold.
with entries as (

    select
        period_type,
        period,
        -- The period's position within its year ("" for a year, "-T2", "-05"), to meet the same one in 2018.
        substr(period, 5) as within_year,
        substr(period, 1, 4) as year,
        territory_level,
        territory_code,
        breakdown,
        breakdown_value,
        numerator as entries
    from {{ ref('ind_entrees') }}

),

years as (

    select distinct year from entries where year >= '{{ var("baseline_year") }}'

),

baseline as (

    select * from entries where year = '{{ var("baseline_year") }}'

),

cells as (

    -- Every cell seen in a year or in the baseline, for every year from the baseline on.
    select distinct years.year, cells.period_type, cells.within_year, cells.territory_level, cells.territory_code,
           cells.breakdown, cells.breakdown_value
    from years
    cross join (
        select period_type, within_year, territory_level, territory_code, breakdown, breakdown_value
        from entries
        where year >= '{{ var("baseline_year") }}'
    ) as cells

),

compared as (

    select
        cells.*,
        coalesce(current_period.entries, 0) as entries,
        coalesce(baseline.entries, 0) as baseline_entries
    from cells
    left join entries as current_period
        on current_period.year = cells.year
       and current_period.period_type = cells.period_type
       and current_period.within_year = cells.within_year
       and current_period.territory_level = cells.territory_level
       and current_period.territory_code = cells.territory_code
       and current_period.breakdown = cells.breakdown
       and current_period.breakdown_value = cells.breakdown_value
    left join baseline
        on baseline.period_type = cells.period_type
       and baseline.within_year = cells.within_year
       and baseline.territory_level = cells.territory_level
       and baseline.territory_code = cells.territory_code
       and baseline.breakdown = cells.breakdown
       and baseline.breakdown_value = cells.breakdown_value
    where current_period.entries is not null or baseline.entries is not null

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
