-- On an incremental build, the cells of ind_cube__entrees the changed persons' entries fall in, before or after
-- this build, with their new values: the cell as it stood, plus what those entries add now, minus what they added
-- before (int_cube_entrees__contributions_precedentes). The cube deletes these cells and inserts the ones that
-- still count an entry, so an added month costs in proportion to the persons it changed, not to the months they
-- touched. Empty on a full build. See macros/cubes.sql.
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_enregistrements_sans_personne__modifies') }}
-- depends_on: {{ ref('int_cube_entrees__contributions_precedentes') }}
-- depends_on: {{ ref('fct_entrees') }}
-- depends_on: {{ ref('bridge_entrees_financeurs') }}
-- depends_on: {{ ref('bridge_entrees_dispositifs') }}
-- depends_on: {{ ref('stg_france_travail__tension') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
{%- set cube = previous_state('marts', 'ind_cube__entrees') %}
{%- if cube is not none %}
with changed_entries as (

    {{ rows_to_rebuild(ref('fct_entrees'), unkeyed_id='entry_id', incremental=true) }}

),

changed_breakdowns as (

    {{ entry_breakdowns('changed_entries', subset=true) }}

)

select * from (
    {{ recomputed_cells(cube, entry_cube('changed_entries', 'changed_breakdowns'),
                        'select * from ' ~ ref('int_cube_entrees__contributions_precedentes'),
                        entry_cube_measures()) }}
) as cells
{%- else %}
{{ empty_cube(entry_cube_measures()) }}
{%- endif %}
