-- I5 `taux_acces_formation` (indicators.md): entries below the bac of the year / mean of the four quarterly stocks
-- of ABC job seekers below the bac of the year; département and région only; unknown (no value, no denominator)
-- when a stock is withheld or a quarter is missing.
with entries as (

    {%- for level, column in [('departement', 'departement_code'), ('region', 'region_code')] %}
    select
        cast(extract(year from month_start) as {{ dbt.type_string() }}) as period,
        '{{ level }}' as territory_level,
        {{ column }} as territory_code,
        sum(infra_bac) as entries
    from {{ ref('ind_cube__entrees') }}
    where breakdown = 'ensemble' and {{ column }} is not null
    group by 1, 2, 3
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

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
