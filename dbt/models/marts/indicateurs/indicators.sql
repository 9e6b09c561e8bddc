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
-- I1 is rolled up once (i1_entries) for its own rows and for I2's comparison with the baseline year (macro
-- entries_against_baseline, the query of the view ind_entrees_supplementaires): 13.5 s -> 5.8 s at national scale.
-- depends_on: {{ ref('ind_entrees_supplementaires') }}
{%- set incremental = pric_incremental() %}
{%- set years = recomputed_indicator_years() if incremental else [] %}
{%- set baseline_year = var('baseline_year') | string %}
{#- The years I2 is computed for: every year, or only the rewritten ones unless the baseline year is one of them. #}
{%- set i2_years = years if incremental and baseline_year not in years else none %}
with i1_entries as (

    select * from {{ ref('ind_entrees') }}
    {%- if incremental and not years %}
    where 1 = 0
    {%- elif i2_years is not none %}
    where substr(period, 1, 4) in ('{{ (i2_years + [baseline_year]) | join("', '") }}')
    {%- endif %}

)
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
{%- if family.model == 'ind_entrees' %}
from i1_entries as family_rows
{%- elif family.model == 'ind_entrees_supplementaires' %}
from ({{ entries_against_baseline('i1_entries', i2_years) }}) as family_rows
{%- else %}
from {{ ref(family.model) }} as family_rows
{%- endif %}
{%- if incremental %}
where {{ recomputed_indicator_rows(family, years, 'family_rows') }}
{%- endif %}
{% if not loop.last %}union all{% endif %}
{% endfor %}
