-- I5 `taux_acces_formation` (indicators.md): entries below the bac of the year / mean of the four quarterly stocks
-- of ABC job seekers below the bac of the year; département and région only; unknown (no value, no denominator)
-- when a stock is withheld or a quarter is missing.
with entries as (

    select period, territory_level, territory_code, sum(case when is_infra_bac then 1 else 0 end) as entries
    from {{ ref('ind_axes__entrees') }}
    where period_type = 'year' and territory_level in ('region', 'departement')
    group by period, territory_level, territory_code

),

stock_by_quarter as (

    select
        stock.year,
        stock.quarter,
        territory.territory_level,
        territory.territory_code,
        sum(stock.job_seekers) as job_seekers,
        max(case when stock.is_withheld or stock.job_seekers is null then 1 else 0 end) as has_withheld
    from {{ ref('fct_demandeurs_emploi') }} as stock
    inner join (
        select departement_code, 'departement' as territory_level, departement_code as territory_code
        from {{ ref('stg_referentiels__departements') }}
        union all
        select departement_code, 'region', region_code
        from {{ ref('stg_referentiels__departements') }}
    ) as territory
        on stock.departement_code = territory.departement_code
    where stock.job_seeker_category = 'ABC'
      and stock.is_infra_bac
    group by stock.year, stock.quarter, territory.territory_level, territory.territory_code

),

stock_by_year as (

    select
        cast(year as {{ dbt.type_string() }}) as period,
        territory_level,
        territory_code,
        case when count(*) = 4 and max(has_withheld) = 0 then sum(job_seekers) / 4 end as mean_stock
    from stock_by_quarter
    group by year, territory_level, territory_code

)

select
    'taux_acces_formation' as indicator,
    'year' as period_type,
    entries.period,
    entries.territory_level,
    entries.territory_code,
    'ensemble' as breakdown,
    'ensemble' as breakdown_value,
    cast(entries.entries as {{ type_double() }}) as numerator,
    cast(stock_by_year.mean_stock as {{ type_double() }}) as denominator,
    cast(entries.entries as {{ type_double() }}) / stock_by_year.mean_stock as value,
    {{ is_secret('entries.entries', 'coalesce(stock_by_year.mean_stock, 0)') }} as is_secret
from entries
inner join stock_by_year
    on entries.period = stock_by_year.period
   and entries.territory_level = stock_by_year.territory_level
   and entries.territory_code = stock_by_year.territory_code
