-- On an incremental build, what the changed persons' entries added to ind_cube__entrees before this build: the
-- cube's query (macro entry_cube) over those entries, their funders and schemes as they stood, read from
-- fct_entrees and the bridges before they are updated. int_cube_entrees__cellules_recalculees subtracts it from
-- the cells it touches. Empty on a full build. See macros/cubes.sql.
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- depends_on: {{ ref('stg_france_travail__tension') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
{%- set entries = previous_state('marts', 'fct_entrees') %}
{%- set funders = previous_state('marts', 'bridge_entrees_financeurs') %}
{%- set schemes = previous_state('marts', 'bridge_entrees_dispositifs') %}
{%- if none not in [entries, funders, schemes] %}
with changed_entries as (

    {{ rows_to_rebuild(entries, unkeyed_id='entry_id', incremental=true) }}

),

changed_breakdowns as (

    {{ entry_breakdowns('changed_entries', subset=true, funders=funders, schemes=schemes) }}

)

select * from ({{ entry_cube('changed_entries', 'changed_breakdowns') }}) as contributions
{%- else %}
{{ empty_cube(entry_cube_measures()) }}
{%- endif %}
