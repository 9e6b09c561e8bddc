-- Every published territorial level is région, département, bassin, or a grouping of the seed
-- regroupements_territoriaux.
select distinct territory_level
from {{ ref('indicators') }}
where territory_level not in ('region', 'departement', 'bassin')
  and territory_level not in (select regroupement from {{ ref('regroupements_territoriaux') }})
