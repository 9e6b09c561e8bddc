-- On an incremental build, the cells of ind_cube__sorties the changed persons' exits fall in, before or after this
-- build, with their new values: the cell as it stood, plus what those exits add now, minus what they added before
-- (int_cube_sorties__contributions_precedentes). Empty on a full build. See macros/cubes.sql.
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- depends_on: {{ ref('int_cube_sorties__contributions_precedentes') }}
-- depends_on: {{ ref('fct_entrees') }}
-- depends_on: {{ ref('fct_sorties') }}
-- depends_on: {{ ref('bridge_entrees_financeurs') }}
-- depends_on: {{ ref('bridge_entrees_dispositifs') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
{%- set cube = previous_state('marts', 'ind_cube__sorties') %}
{%- if cube is not none %}
with changed_exits as (

    select * from {{ ref('fct_entrees') }}
    where exit_date is not null and {{ of_changed_persons('person_key', incremental=true) }}

),

changed_breakdowns as (

    {{ entry_breakdowns('changed_exits', subset=true) }}

)

select * from (
    {{ recomputed_cells(cube, exit_cube('changed_exits', ref('fct_sorties'), 'changed_breakdowns'),
                        'select * from ' ~ ref('int_cube_sorties__contributions_precedentes'),
                        exit_cube_measures()) }}
) as cells
{%- else %}
{{ empty_cube(exit_cube_measures()) }}
{%- endif %}
