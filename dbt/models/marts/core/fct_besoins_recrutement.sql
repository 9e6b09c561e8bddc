-- Recruitment needs from three sources, in one long shape (source × year × territory × occupation × measure):
--   bmo       projects, difficult projects, seasonal projects by bassin BMO × FAP (NULL and withheld where secret)
--   opmq      branch observatories' needs at 3 years and new jobs, by région × ROME (branch in `detail`)
--   tension   the 1-5 tension indicator by bassin BMO × ROME
{%- set bmo_measures = [('recruitment_projects', 'projets'), ('difficult_projects', 'projets_difficiles'),
                        ('seasonal_projects', 'projets_saisonniers')] %}
{% for column, measure in bmo_measures %}
select
    'bmo' as source,
    year,
    'bassin' as territory_level,
    bassin_code as territory_code,
    'fap' as occupation_nomenclature,
    fap_code as occupation_code,
    cast(null as {{ dbt.type_string() }}) as detail,
    '{{ measure }}' as measure,
    {{ column }} as value,
    {{ column }}_withheld as is_withheld
from {{ ref('stg_france_travail__bmo') }}
union all
{% endfor %}
{%- for column, measure in [('recruitment_needs_3_years', 'besoins_3_ans'), ('of_which_new_jobs', 'creations')] %}
select
    'opmq',
    needs.year,
    'region',
    -- Observatories write the région's name; its INSEE code where the name matches the COG.
    coalesce(regions.region_code, needs.region_name),
    'rome',
    needs.rome_code,
    needs.branch,
    '{{ measure }}',
    needs.{{ column }},
    needs.{{ column }} is null
from {{ ref('stg_observatoires__besoins') }} as needs
left join {{ ref('stg_referentiels__regions') }} as regions
    on lower(needs.region_name) = lower(regions.region_name)
union all
{% endfor %}
select
    'tension',
    year,
    'bassin',
    bassin_code,
    'rome',
    rome_code,
    cast(null as {{ dbt.type_string() }}),
    'ind_tension_d',
    cast(ind_tension_d as {{ type_double() }}),
    false
from {{ ref('stg_france_travail__tension') }}
