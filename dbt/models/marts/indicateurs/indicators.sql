-- The published long table: one row per indicator × period × territory × breakdown (indicators.md,
-- "Publication"). Each ind_* model computes its figures and their primary secrecy (macro is_secret); this table
-- keeps every figure and flags secret cells; published forms empty them.
-- Rebuilt whole on every build, incremental or not: it is a roll-up of the monthly cubes, which are the
-- incremental part. Deleting and rewriting only the years of the recomputed months cost more than this (81 s
-- against 47 s at national scale, docs/operations.md): every family is rolled up before any year filter applies,
-- and the delete then the insert each touched most of the table.
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
{% if not loop.last %}union all{% endif %}
{% endfor %}
