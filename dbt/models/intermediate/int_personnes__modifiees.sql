-- The persons whose trainee or hiring rows changed since the start of the last build that succeeded: every person
-- key in a file of a (feed, period) that received a file since then, whether that file is now current or
-- superseded, so that records that disappeared count too; every person whose rows a new version of a file
-- replaced (the load step keeps their keys); and every person an earlier version of a Région record in those files
-- carried: the Région's record key is the trainee and the action, so a later version may name another France
-- Travail identifier (a corrected one), and the person it leaves must lose the record. (A France Travail record's
-- key holds the person: another person is another record.) Empty on a full build. See macros/incremental.sql.
{%- set feeds = [('france_travail', 'stagiaires'), ('financeurs', 'region_stagiaires'),
                 ('france_travail', 'reprises_emploi')] %}
{%- set incremental = incremental_build() %}
{%- set builds = source('ingestion', 'dbt_builds') %}

with changed_files as (

    {{ files_of_changed_periods() }}

)

{% for source_name, table_name in feeds %}
select distinct {{ key_hash('raw_rows.individu_hmac') }} as person_key, raw_rows.individu_hmac as person_hmac
from {{ source(source_name, table_name) }} as raw_rows
inner join changed_files
    on raw_rows._source_file = changed_files.file_path
   and changed_files.feed = '{{ source_name }}__{{ table_name }}'
where raw_rows.individu_hmac is not null
{% if not loop.last %}union{% endif %}
{% endfor %}

union

select distinct {{ key_hash('earlier_versions.individu_hmac') }} as person_key,
    earlier_versions.individu_hmac as person_hmac
from {{ source('financeurs', 'region_stagiaires') }} as earlier_versions
inner join (
    select distinct raw_rows.stagiaire_hmac, raw_rows.{{ adapter.quote('Numéro Action') }} as action_number
    from {{ source('financeurs', 'region_stagiaires') }} as raw_rows
    inner join changed_files
        on raw_rows._source_file = changed_files.file_path
       and changed_files.feed = 'financeurs__region_stagiaires'
) as changed_records
    on earlier_versions.stagiaire_hmac = changed_records.stagiaire_hmac
   and earlier_versions.{{ adapter.quote('Numéro Action') }} = changed_records.action_number
where earlier_versions.individu_hmac is not null

union

select {{ key_hash('person_key') }} as person_key, person_key as person_hmac
from {{ source('ingestion', 'personnes_remplacees') }}
where {% if incremental %}{{ after_last_build('replaced_at', builds) }}{% else %}1 = 0{% endif %}
