-- I7 (indicators.md), over Région records, each placed by its own commune of residence and start date:
--   cout_moyen_entree  sum of `Coût Pédagogique` / number of records
--   cout_horaire       sum of `Coût Pédagogique` / sum of `Heures Centre` + `Heures Entreprise`
-- Yearly, overall and by scheme. Secret when the cell holds fewer than var('secret_min_denominator') records,
-- whichever the denominator (hours are not people).
-- The records are the Région's latest versions as int_stagiaires__enregistrements holds them (cost and hours
-- included): the staging view would pick them again with its version window over every version, 3.5 s of this
-- model's 6 s at national scale.
with records as (

    select
        records.record_id,
        records.start_date,
        records.scheme_code,
        records.training_cost,
        records.hours,
        territory.region_code,
        territory.departement_code,
        territory.bassin_code,
        territory.grouping_name,
        territory.grouping_code
    from {{ ref('int_stagiaires__enregistrements') }} as records
    inner join {{ ref('dim_territoire') }} as territory
        on records.commune_code = territory.commune_code
    where records.source_system = 'region'

),

axes as (

    {{ period_territory_axes('records', 'start_date', ['record_id', 'scheme_code', 'training_cost', 'hours'],
                             period_types=['year']) }}

),

by_breakdown as (

    select axes.*, 'ensemble' as breakdown, 'ensemble' as breakdown_value from axes
    union all
    select axes.*, 'dispositif', scheme_code from axes where scheme_code is not null

),

aggregated as (

    select period_type, period, territory_level, territory_code, breakdown, breakdown_value,
           count(*) as records, sum(training_cost) as cost, sum(hours) as hours
    from by_breakdown
    group by period_type, period, territory_level, territory_code, breakdown, breakdown_value

)

select
    'cout_moyen_entree' as indicator, period_type, period, territory_level, territory_code, breakdown,
    breakdown_value,
    cast(cost as {{ type_double() }}) as numerator,
    cast(records as {{ type_double() }}) as denominator,
    cast(cost as {{ type_double() }}) / records as value,
    {{ is_secret('records', 'records') }} as is_secret
from aggregated

union all

select
    'cout_horaire', period_type, period, territory_level, territory_code, breakdown, breakdown_value,
    cast(cost as {{ type_double() }}),
    cast(hours as {{ type_double() }}),
    case when hours > 0 then cast(cost as {{ type_double() }}) / hours end,
    {{ is_secret('records', 'records') }}
from aggregated
