-- The published long table: one row per indicator × period × territory × breakdown (indicators.md,
-- "Publication"). Keeps every figure and flags secret cells; published forms empty them.
with all_indicators as (

    select * from {{ ref('ind_entrees') }}
    union all
    select * from {{ ref('ind_publics') }}

)

select
    indicator,
    period_type,
    period,
    territory_level,
    territory_code,
    breakdown,
    breakdown_value,
    numerator,
    denominator,
    value,
    {{ is_secret('numerator', 'denominator') }} as is_secret
from all_indicators
