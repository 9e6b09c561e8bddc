-- On an incremental build, what the changed persons' exits added to ind_cube__sorties before this build: the
-- cube's query (macro exit_cube) over those entries, their outcomes, funders and schemes as they stood, read from
-- fct_entrees, fct_sorties and the bridges before they are updated. int_cube_sorties__cellules_recalculees
-- subtracts it from the cells it touches. Empty on a full build. See macros/cubes.sql.
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
{%- set entries = previous_state('marts', 'fct_entrees') %}
{%- set outcomes = previous_state('marts', 'fct_sorties') %}
{%- set funders = previous_state('marts', 'bridge_entrees_financeurs') %}
{%- set schemes = previous_state('marts', 'bridge_entrees_dispositifs') %}
{%- if none not in [entries, outcomes, funders, schemes] %}
with changed_exits as (

    select * from {{ entries }}
    where exit_date is not null and {{ of_changed_persons('person_key', incremental=true) }}

),

changed_breakdowns as (

    {{ entry_breakdowns('changed_exits', subset=true, funders=funders, schemes=schemes) }}

)

select * from ({{ exit_cube('changed_exits', outcomes, 'changed_breakdowns') }}) as contributions
{%- else %}
{{ empty_cube(exit_cube_measures()) }}
{%- endif %}
