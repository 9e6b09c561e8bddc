-- On an incremental build, the changed persons' entries as they stood before this build, each with its state (its
-- columns, funders, schemes and outcomes as one hash; macro entry_states): read from fct_entrees, the bridges and
-- fct_sorties before they are updated. int_mois__a_recalculer compares them with the entries after the build: the
-- months of an entry that changed, moved or vanished are recomputed. Entries without a person key are compared
-- record by record instead (int_stagiaires__sans_cle_precedents). Empty on a full build. See macros/incremental.sql.
-- depends_on: {{ ref('int_personnes__modifiees') }}
{%- set previous = [previous_state('marts', 'fct_entrees'), previous_state('marts', 'bridge_entrees_financeurs'),
                    previous_state('marts', 'bridge_entrees_dispositifs'), previous_state('marts', 'fct_sorties')] %}
{%- if none not in previous %}
{{ entry_states(*previous) }}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as entry_id,
    cast(null as date) as entry_date,
    cast(null as date) as exit_date,
    cast(null as {{ dbt.type_string() }}) as entry_state
where 1 = 0
{%- endif %}
