{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_recomputed_indicators() }}") }}
-- depends_on: {{ ref('int_cube_entrees__cellules_recalculees') }}
-- depends_on: {{ ref('int_cube_sorties__cellules_recalculees') }}
-- The published long table: one row per indicator × period × territory × breakdown (indicators.md,
-- "Publication"). Each ind_* model computes its figures and their primary secrecy (macro is_secret); this table
-- keeps every figure and flags secret cells; published forms empty them.
-- An incremental build rewrites the families rolled up from the monthly cubes only for the years where a cube
-- cell changed (an added month: its year, out of five), and the small families whole (macros/indicator_families.sql).
-- The years are constants here, so the filter reaches the cubes' scans through the family views.
{%- set incremental = pric_incremental() %}
{%- set years = recomputed_indicator_years() if incremental else [] %}
{% for family in indicator_families() %}
select
    indicator,
    period_type,
    period,
    territory_level,
    territory_code,
    breakdown,
    breakdown_value,
    numerator,
    denominator,
    value,
    is_secret
from {{ ref(family.model) }} as family_rows
{%- if incremental %}
where {{ recomputed_indicator_rows(family, years, 'family_rows') }}
{%- endif %}
{% if not loop.last %}union all{% endif %}
{% endfor %}
