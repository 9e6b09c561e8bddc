-- I9 `taux_remplissage` (indicators.md): entries with a Région record whose `Numéro Action` is on the year's
-- orders / `Places achetées` of those orders; by year, scheme and the order's bassin (levels bassin and région,
-- the région of a bassin from the bassin reference). Not a share: an action can take more trainees than bought.
with orders as (

    select * from {{ ref('fct_commandes') }}

),

entries_on_orders as (

    select orders.year, orders.action_id, count(distinct attachment.entry_id) as entries
    from {{ ref('int_stagiaires__enregistrements') }} as records
    inner join {{ ref('int_entrees__rattachement') }} as attachment
        on records.record_id = attachment.record_id
    inner join {{ ref('fct_entrees') }} as entries
        on attachment.entry_id = entries.entry_id
    inner join orders
        on orders.action_id = records.action_id
       and orders.year = extract(year from entries.entry_date)
    where records.source_system = 'region'
    group by orders.year, orders.action_id

),

per_order as (

    select orders.*, coalesce(entries_on_orders.entries, 0) as entries
    from orders
    left join entries_on_orders
        on orders.year = entries_on_orders.year
       and orders.action_id = entries_on_orders.action_id

),

cells as (

    {%- for level, column in [('bassin', 'bassin_code'), ('region', 'region_code')] %}
    {%- for breakdown, value in [('ensemble', "'ensemble'"), ('dispositif', 'scheme_code')] %}
    select year, '{{ level }}' as territory_level, {{ column }} as territory_code, '{{ breakdown }}' as breakdown,
           {{ value }} as breakdown_value, entries, places_bought
    from per_order
    where {{ column }} is not null and {{ value }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select
    'taux_remplissage' as indicator,
    'year' as period_type,
    cast(year as {{ dbt.type_string() }}) as period,
    territory_level,
    territory_code,
    breakdown,
    breakdown_value,
    cast(sum(entries) as {{ type_double() }}) as numerator,
    cast(sum(places_bought) as {{ type_double() }}) as denominator,
    case when sum(places_bought) > 0
         then cast(sum(entries) as {{ type_double() }}) / sum(places_bought) end as value,
    {{ is_secret('sum(entries)', 'sum(places_bought)') }} as is_secret
from cells
group by year, territory_level, territory_code, breakdown, breakdown_value
