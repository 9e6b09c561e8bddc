-- I6 `couverture_besoins` (indicators.md): for a bassin × FAP and year, entries whose targeted ROME maps to that
-- FAP through $FAP9RSQ (ROMEs it does not map are left out) / difficult recruitment projects (`xmet`) of that
-- year's BMO wave; unknown (no denominator, no value) where `xmet` is secret. Published at bassin level with
-- breakdown `fap`. Not a share: it can exceed 1.
with entries as (

    select
        cast(extract(year from entries.entry_date) as integer) as year,
        entries.bassin_code,
        crosswalk.fap_code,
        count(*) as entries
    from {{ ref('fct_entrees') }} as entries
    inner join {{ ref('stg_referentiels__fap_rome') }} as crosswalk
        on crosswalk.mapping = 'rome' and crosswalk.source_code = entries.rome_code
    where entries.bassin_code is not null
    group by 1, 2, 3

),

projects as (

    select year, territory_code as bassin_code, occupation_code as fap_code, value as difficult_projects, is_withheld
    from {{ ref('fct_besoins_recrutement') }}
    where source = 'bmo' and measure = 'projets_difficiles'

)

select
    'couverture_besoins' as indicator,
    'year' as period_type,
    cast(projects.year as {{ dbt.type_string() }}) as period,
    'bassin' as territory_level,
    projects.bassin_code as territory_code,
    'fap' as breakdown,
    projects.fap_code as breakdown_value,
    cast(coalesce(entries.entries, 0) as {{ type_double() }}) as numerator,
    case when not projects.is_withheld then projects.difficult_projects end as denominator,
    case when not projects.is_withheld and projects.difficult_projects > 0
         then coalesce(entries.entries, 0) / projects.difficult_projects end as value,
    {{ is_secret('coalesce(entries.entries, 0)', 'coalesce(case when not projects.is_withheld then projects.difficult_projects end, 0)') }}
        as is_secret
from projects
left join entries
    on entries.year = projects.year
   and entries.bassin_code = projects.bassin_code
   and entries.fap_code = projects.fap_code
