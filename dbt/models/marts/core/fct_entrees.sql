{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons('entry_id') }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- depends_on: {{ ref('int_cube_entrees__contributions_precedentes') }} (it reads this table before it is updated)
-- depends_on: {{ ref('int_cube_sorties__contributions_precedentes') }} (same)
-- One row per entry: one person starting one training (indicators.md, "Entries").
with records as (

    select
        records.*,
        attachment.entry_id,
        -- Traits come from one record: France Travail's wins where sources disagree, then the earliest, then the
        -- lowest identifier in its source (a session number: never the keyed record_id, or the key would decide).
        row_number() over (
            partition by attachment.entry_id
            order by records.source_rank, records.start_date, records.source_record_id nulls last, records.record_id
        ) as trait_rank
    from ({{ rows_to_rebuild(ref('int_stagiaires__enregistrements')) }}) as records
    inner join {{ ref('int_entrees__rattachement') }} as attachment
        on records.record_id = attachment.record_id

),

entries as (

    select
        entry_id,
        min(start_date) as entry_date,
        -- No exit date while any record of the entry is still going on.
        case when count(*) = count(exit_date) then max(exit_date) end as exit_date,
        count(*) as record_count,
        max(case when source_system = 'france_travail' then 1 else 0 end) = 1 as has_france_travail_record,
        max(case when source_system = 'region' then 1 else 0 end) = 1 as has_region_record
    from records
    group by entry_id

),

traits as (

    select *
    from records
    where trait_rank = 1

)

select
    entries.entry_id,
    -- Every record of an entry is its person's (the entry's key hashes the person's): the trait record's will do,
    -- and PostgreSQL has no max() of a UUID.
    traits.person_key,
    entries.entry_date,
    entries.exit_date,
    entries.record_count,
    entries.has_france_travail_record,
    entries.has_region_record,
    traits.formacode,
    traits.rome_code,
    traits.level_code,
    coalesce(levels.est_infra_bac, false) as is_infra_bac,
    -- Age at the entry's date: the trait record may start a few days after the entry; step back a year when
    -- a birthday falls in between.
    cast(traits.age_at_start
        - case when traits.days_since_birthday
                    < {{ dbt.datediff('entries.entry_date', 'traits.start_date', 'day') }}
               then 1 else 0 end as integer) as age_at_entry,
    traits.is_qpv,
    traits.is_rsa,
    traits.is_disabled_worker,
    traits.commune_code,
    territory.departement_code,
    territory.region_code,
    territory.bassin_code,
    territory.grouping_name,
    territory.grouping_code
from entries
inner join traits
    on entries.entry_id = traits.entry_id
left join {{ ref('niveaux_formation') }} as levels
    on traits.level_code = levels.code_niveau
   and traits.source_system = levels.source
left join {{ ref('dim_territoire') }} as territory
    on traits.commune_code = territory.commune_code
