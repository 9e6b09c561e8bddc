-- On an incremental build, the records without a person key as they stood before this build (read from
-- int_stagiaires__enregistrements before it is updated). Each is an entry of its own, rebuilt on every build;
-- comparing them with the new ones tells which months such entries changed in (int_mois__a_recalculer).
-- Empty on a full build. See macros/incremental.sql.
{%- set previous = previous_state('intermediate', 'int_stagiaires__enregistrements') %}
{%- if previous is not none %}
select *
from {{ previous }}
where person_key is null
{%- else %}
select cast(null as {{ dbt.type_string() }}) as record_id
where 1 = 0
{%- endif %}
