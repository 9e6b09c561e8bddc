{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_months_to_recompute() }}") }}
-- depends_on: {{ ref('int_mois__a_recalculer') }}
-- depends_on: {{ ref('bridge_entrees_financeurs') }}
-- depends_on: {{ ref('bridge_entrees_dispositifs') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
-- Exits (entries with a person key and an exit date) counted at the finest grain every published cell of I4 and
-- I8 is a sum of: month of the exit date × the entry's territory × breakdown (see ind_cube__entrees).
with exits_of_months as (

    select entries.*
    from {{ ref('fct_entrees') }} as entries
    where entries.exit_date is not null
      and {{ in_months_to_recompute('entries.exit_date') }}

),

-- On an incremental build, the breakdowns of these months' exits only (macro entry_breakdowns), not of all.
breakdowns as (

    {% if pric_incremental() -%}
    {{ entry_breakdowns('exits_of_months', subset=true) }}
    {%- else -%}
    select * from {{ ref('ind_ventilations__entrees') }}
    {%- endif %}

)

select
    cast({{ dbt.date_trunc('month', 'entries.exit_date') }} as date) as month_start,
    entries.region_code,
    entries.departement_code,
    entries.bassin_code,
    entries.grouping_name,
    entries.grouping_code,
    breakdowns.breakdown,
    breakdowns.breakdown_value,
    count(*) as exits,
    sum(case when outcomes.hired_6m then 1 else 0 end) as hired_6m,
    sum(case when outcomes.durable_hired_6m then 1 else 0 end) as durable_hired_6m,
    sum(case when outcomes.next_entry_90d then 1 else 0 end) as next_entry_90d
from exits_of_months as entries
inner join {{ ref('fct_sorties') }} as outcomes
    on entries.entry_id = outcomes.entry_id
inner join breakdowns
    on entries.entry_id = breakdowns.entry_id
group by 1, 2, 3, 4, 5, 6, 7, 8
