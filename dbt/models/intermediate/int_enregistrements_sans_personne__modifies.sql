-- The trainee records an incremental build rebuilds although they carry no person key (int_personnes__modifiees
-- cannot name them): every Région record in a file of a (feed, period) that received a file since the start of
-- the last build that succeeded, whatever its person key (a later version may add one or drop it); every France
-- Travail record without a person key in those files; and every record without a person key whose kept version
-- came from one of those files (a new version of the file may no longer hold it: its earlier version, or nothing,
-- takes its place). The others are as the build that wrote them left them. Empty on a full build. See
-- macros/incremental.sql.
{%- set records = previous_state('intermediate', 'int_stagiaires__enregistrements') %}

with changed_files as (

    {{ files_of_changed_periods() }}

),

records as (

    select {{ france_travail_record_id('raw_rows.individu_hmac', 'raw_rows.dc_numeroicsession') }} as record_id
    from {{ source('france_travail', 'stagiaires') }} as raw_rows
    inner join changed_files
        on raw_rows._source_file = changed_files.file_path
       and changed_files.feed = 'france_travail__stagiaires'
    where raw_rows.individu_hmac is null

    union

    select {{ region_record_id('raw_rows.stagiaire_hmac', 'raw_rows.' ~ adapter.quote('Numéro Action')) }}
        as record_id
    from {{ source('financeurs', 'region_stagiaires') }} as raw_rows
    inner join changed_files
        on raw_rows._source_file = changed_files.file_path
       and changed_files.feed = 'financeurs__region_stagiaires'
    {%- if records is not none %}

    union

    select kept.record_id
    from {{ records }} as kept
    inner join changed_files
        on kept.source_file = changed_files.file_path
    where kept.person_key is null
    {%- endif %}

)

select
    record_id,
    {{ unkeyed_entry_id('record_id') }} as entry_id
from records
