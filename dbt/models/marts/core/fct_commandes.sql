-- Région training orders: places bought by action, year and bassin BMO, with the bassin's région.
with bassin_regions as (

    -- A bassin's région is the one most of its communes belong to.
    select bassin_code, region_code
    from (
        select
            bassin_code,
            region_code,
            row_number() over (partition by bassin_code order by count(*) desc, region_code) as rank_in_bassin
        from {{ ref('stg_referentiels__bassins') }}
        group by bassin_code, region_code
    ) as ranked
    where rank_in_bassin = 1

)

select
    orders.year,
    orders.action_id,
    orders.action_title,
    orders.formacode,
    orders.rome_code,
    orders.bassin_code,
    bassin_regions.region_code,
    orders.scheme_code,
    orders.places_bought,
    orders.hours_per_trainee,
    orders.amount_committed,
    orders.is_pric_funded
from {{ ref('stg_financeurs__region_commandes') }} as orders
left join bassin_regions
    on orders.bassin_code = bassin_regions.bassin_code
