{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons() }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- Trainee journeys: each person's entries in order, across funders, with the entry before and after.
-- Two entries of a person on one day differ by Formacode (int_entrees__rattachement): it orders them, as in the
-- entry walk, rather than entry_id, a hash of the keyed pseudonym.
select
    person_key,
    entry_id,
    entry_date,
    exit_date,
    row_number() over (
        partition by person_key order by entry_date, formacode nulls last, entry_id
    ) as entry_rank,
    count(*) over (partition by person_key) as entries_of_person,
    lag(exit_date) over (
        partition by person_key order by entry_date, formacode nulls last, entry_id
    ) as previous_exit_date,
    lead(entry_date) over (
        partition by person_key order by entry_date, formacode nulls last, entry_id
    ) as next_entry_date,
    has_france_travail_record,
    has_region_record
from {{ ref('fct_entrees') }}
where person_key is not null and {{ of_changed_persons('person_key') }}
