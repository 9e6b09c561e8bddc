{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons('record_id') }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- Which entry each record belongs to (indicators.md, "Entries").
-- A person's records are taken in order of start date, then Formacode, then France Travail before Région, then
-- the record's identifier in its source. NULLs are placed explicitly: engines differ (Spark sorts them first), and
-- the order decides the entries. record_id, last, only separates records identical in all of these.
-- A record joins the current entry when its Formacode equals the entry's and it starts at most
-- var('entry_window_days') days after the entry's first start date; otherwise it opens a new entry. A record
-- without a person key is an entry of its own. Two missing Formacodes count as equal.
-- The walk is a recursive CTE: whether a record opens an entry depends on where the previous entry started,
-- which no window function can see. Its depth is the largest number of records of one person.
{%- set joins_entry -%}
    ((next_record.formacode = walk.entry_formacode
        or (next_record.formacode is null and walk.entry_formacode is null))
     and next_record.start_date <= {{ dbt.dateadd('day', var('entry_window_days'), 'walk.entry_start_date') }})
{%- endset %}

with recursive ordered as (

    select
        record_id,
        person_key,
        start_date,
        formacode,
        row_number() over (
            partition by person_key
            order by start_date, formacode nulls last, source_rank, source_record_id nulls last, record_id
        ) as record_rank
    from {{ ref('int_stagiaires__enregistrements') }}
    where person_key is not null and {{ of_changed_persons('person_key') }}

),

walk as (

    select
        person_key,
        record_rank,
        record_id,
        start_date as entry_start_date,
        formacode as entry_formacode,
        1 as entry_number
    from ordered
    where record_rank = 1

    union all

    select
        next_record.person_key,
        next_record.record_rank,
        next_record.record_id,
        case when {{ joins_entry }} then walk.entry_start_date else next_record.start_date end,
        case when {{ joins_entry }} then walk.entry_formacode else next_record.formacode end,
        case when {{ joins_entry }} then walk.entry_number else walk.entry_number + 1 end
    from walk
    inner join ordered as next_record
        on next_record.person_key = walk.person_key
       and next_record.record_rank = walk.record_rank + 1

)

select
    record_id,
    person_key,
    entry_number,
    {{ key_hash(dbt.concat(["'entry|'", key_text('person_key'), "'|'",
                            "cast(entry_number as " ~ dbt.type_string() ~ ")"])) }}
        as entry_id
from walk

union all

select
    record_id,
    person_key,
    1 as entry_number,
    {{ unkeyed_entry_id('record_id') }} as entry_id
from {{ ref('int_stagiaires__enregistrements') }}
where person_key is null and {{ of_changed_persons('person_key', unkeyed_id='record_id') }}
