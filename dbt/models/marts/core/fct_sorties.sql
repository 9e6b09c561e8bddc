{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons() }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_cube_entrees__contributions_precedentes') }} (it reads this table before it is updated)
-- depends_on: {{ ref('int_cube_sorties__contributions_precedentes') }} (same)
-- One row per entry with a person key and an exit date, with what followed the exit (I4, I8):
--   hired_6m             a hiring of 30 days or more (a CDI counts) starting between the exit and 183 days after
--   durable_hired_6m     the same, counting only CDI, or CDD of 183 days or more
--   next_entry_90d       another entry of the same person starting between the exit and 90 days after
-- Both ends of each window are included.
with exits as (

    select *
    from {{ ref('fct_entrees') }}
    where person_key is not null
      and exit_date is not null
      and {{ of_changed_persons('person_key') }}

),

hirings_after as (

    select
        exits.entry_id,
        max(case when hirings.is_30_days_or_more then 1 else 0 end) as hired,
        max(case when hirings.is_durable then 1 else 0 end) as durably_hired
    from exits
    inner join {{ ref('fct_embauches') }} as hirings
        on hirings.person_key = exits.person_key
       and hirings.hiring_date >= exits.exit_date
       and hirings.hiring_date <= {{ dbt.dateadd('day', 183, 'exits.exit_date') }}
    group by exits.entry_id

),

entries_after as (

    select distinct exits.entry_id
    from exits
    inner join {{ ref('fct_entrees') }} as later
        on later.person_key = exits.person_key
       and later.entry_id <> exits.entry_id
       and later.entry_date >= exits.exit_date
       and later.entry_date <= {{ dbt.dateadd('day', 90, 'exits.exit_date') }}

)

select
    exits.entry_id,
    exits.person_key,
    exits.entry_date,
    exits.exit_date,
    coalesce(hirings_after.hired, 0) = 1 as hired_6m,
    coalesce(hirings_after.durably_hired, 0) = 1 as durable_hired_6m,
    entries_after.entry_id is not null as next_entry_90d
from exits
left join hirings_after
    on exits.entry_id = hirings_after.entry_id
left join entries_after
    on exits.entry_id = entries_after.entry_id
