-- The published long table: one row per indicator × period × territory × breakdown (indicators.md,
-- "Publication"). Each ind_* model computes its figures and their primary secrecy (macro is_secret); this table
-- keeps every figure and flags secret cells; published forms empty them.
-- Incremental (macros/incremental.sql): the families rolled up from the monthly cubes are rebuilt for the years of
-- the recomputed months (I2: every year when the baseline year is one of them); the small families in full.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_indicators_to_recompute() }}") }}
-- depends_on: {{ ref('int_mois__a_recalculer') }}
{%- set families = ['ind_entrees', 'ind_entrees_supplementaires', 'ind_publics', 'ind_sorties',
                    'ind_acces_formation', 'ind_metiers_en_tension', 'ind_couverture_besoins', 'ind_couts',
                    'ind_remplissage'] %}
{% for family in families %}
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
from {{ ref(family) }}
{%- if pric_incremental() and family in cube_indicator_families() %}
where {{ in_years_to_recompute(family) }}
{%- endif %}
{% if not loop.last %}union all{% endif %}
{% endfor %}
