{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_recomputed_cells(ref('int_cube_entrees__cellules_recalculees')) }}") }}
-- depends_on: {{ ref('int_cube_entrees__cellules_recalculees') }}
-- Entries counted at the finest grain every published cell is a sum of: month of the entry date × territory (the
-- codes derived from the entry's commune) × breakdown. The indicator models roll this cube up to years, quarters
-- and each territorial level, so each entry is read once instead of once per period type and level (12 times).
-- Measures are counts of entries meeting each condition of I1, I3, I5 and I6 (indicators.md); the query is macro
-- entry_cube. An incremental build replaces only the cells the changed persons' entries touch, with the values
-- int_cube_entrees__cellules_recalculees worked out (a cell left without entries goes).
{% if pric_incremental() -%}
select * from {{ ref('int_cube_entrees__cellules_recalculees') }} where entries > 0
{%- else -%}
{{ entry_cube(ref('fct_entrees'), ref('ind_ventilations__entrees')) }}
{%- endif %}
