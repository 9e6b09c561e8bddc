-- Each exit (an entry with a person key and an exit date) once per period of its exit date and territorial
-- level (the entry's territory): the base of I4 and I8.
with exits as (

    select entries.*, outcomes.hired_6m, outcomes.durable_hired_6m, outcomes.next_entry_90d
    from {{ ref('fct_entrees') }} as entries
    inner join {{ ref('fct_sorties') }} as outcomes
        on entries.entry_id = outcomes.entry_id

)

{{ period_territory_axes('exits', 'exit_date',
    ['entry_id', 'hired_6m', 'durable_hired_6m', 'next_entry_90d']) }}
