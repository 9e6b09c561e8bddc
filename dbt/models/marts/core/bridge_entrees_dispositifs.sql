{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons('entry_id') }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- depends_on: {{ ref('int_cube_entrees__contributions_precedentes') }} (it reads this table before it is updated)
-- depends_on: {{ ref('int_cube_sorties__contributions_precedentes') }} (same)
-- Entry × scheme (indicators.md): every `c_dispositifformation` and `Dispositif` on the entry's records. Broken
-- down by scheme, an entry counts once under each of its own.
select distinct
    attachment.entry_id,
    records.person_key,
    records.source_system,
    records.scheme_code
from ({{ rows_to_rebuild(ref('int_stagiaires__enregistrements')) }}) as records
inner join {{ ref('int_entrees__rattachement') }} as attachment
    on records.record_id = attachment.record_id
where records.scheme_code is not null
