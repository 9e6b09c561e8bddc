{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_recomputed_cells(ref('int_cube_sorties__cellules_recalculees')) }}") }}
-- depends_on: {{ ref('int_cube_sorties__cellules_recalculees') }}
-- Exits (entries with a person key and an exit date) counted at the finest grain every published cell of I4 and
-- I8 is a sum of: month of the exit date × the entry's territory × breakdown (see ind_cube__entrees; the query is
-- macro exit_cube). An incremental build replaces only the cells the changed persons' exits touch
-- (int_cube_sorties__cellules_recalculees).
{% if pric_incremental() -%}
select * from {{ ref('int_cube_sorties__cellules_recalculees') }} where exits > 0
{%- else -%}
{{ exit_cube(ref('fct_entrees'), ref('fct_sorties'), ref('ind_ventilations__entrees')) }}
{%- endif %}
