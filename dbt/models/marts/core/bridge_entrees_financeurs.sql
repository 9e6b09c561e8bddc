{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons('entry_id') }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- depends_on: {{ ref('int_cube_entrees__contributions_precedentes') }} (it reads this table before it is updated)
-- depends_on: {{ ref('int_cube_sorties__contributions_precedentes') }} (same)
-- Entry × funder (indicators.md): every LHEO code in `liste_financeur` of the entry's France Travail records,
-- plus 2 (Conseil régional) when the entry has a Région record. Broken down by funder, an entry counts once under
-- each of its own. The list is matched against the funder code list rather than split, which every SQL engine
-- does the same way; a code missing from the list is reported by the ingestion checks.
with records as (

    select
        attachment.entry_id,
        records.person_key,
        records.source_system,
        records.funder_codes
    from ({{ rows_to_rebuild(ref('int_stagiaires__enregistrements')) }}) as records
    inner join {{ ref('int_entrees__rattachement') }} as attachment
        on records.record_id = attachment.record_id

),

-- The few distinct code lists are matched against the funder codes first (a non-equi join on a handful of rows),
-- then the records join them on equality: 10 M records × 20 codes of `like` took 40 s at national scale.
code_lists as (

    select distinct funder_codes
    from records
    where source_system = 'france_travail' and funder_codes is not null

),

codes_of_list as (

    select code_lists.funder_codes, funders.code_financeur
    from code_lists
    inner join {{ ref('financeurs') }} as funders
        on {{ dbt.concat(["';'", "replace(code_lists.funder_codes, ' ', '')", "';'"]) }}
            like {{ dbt.concat(["'%;'", "funders.code_financeur", "';%'"]) }}

)

select distinct
    records.entry_id,
    records.person_key,
    codes_of_list.code_financeur
from records
inner join codes_of_list
    on records.source_system = 'france_travail'
   and records.funder_codes = codes_of_list.funder_codes

union

select
    records.entry_id,
    records.person_key,
    funders.code_financeur
from records
inner join {{ ref('financeurs') }} as funders
    on records.source_system = 'region' and funders.code_financeur = '2'
