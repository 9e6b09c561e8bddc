-- On an incremental build, the changed persons' entries as they stood before this build (read from fct_entrees
-- before it is updated): the months they fell in must be recomputed too, in case an entry moved or vanished.
-- Entries without a person key are compared record by record instead (int_stagiaires__sans_cle_precedents).
-- Empty on a full build. See macros/incremental.sql.
-- depends_on: {{ ref('int_personnes__modifiees') }}
{%- set previous = previous_state('marts', 'fct_entrees') %}
{%- if previous is not none %}
select entry_id, person_key, entry_date, exit_date
from {{ previous }}
where {{ of_changed_persons('person_key', true, with_unkeyed=false) }}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as entry_id,
    cast(null as {{ dbt.type_string() }}) as person_key,
    cast(null as date) as entry_date,
    cast(null as date) as exit_date
where 1 = 0
{%- endif %}
