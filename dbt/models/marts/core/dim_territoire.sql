-- One row per commune code: the territorial levels an entry's commune of residence rolls up to.
-- A commune missing from the bassin lexicon (a commune created after it) has no bassin. The Région's own grouping
-- (seed regroupements_territoriaux) is an extra level.
select
    communes.commune_code,
    communes.commune_name,
    communes.commune_type,
    communes.departement_code,
    departements.departement_name,
    departements.region_code,
    regions.region_name,
    bassins.bassin_code,
    bassins.bassin_name,
    groupings.regroupement as grouping_name,
    groupings.code_groupe as grouping_code,
    groupings.libelle_groupe as grouping_label
from {{ ref('stg_referentiels__communes') }} as communes
inner join {{ ref('stg_referentiels__departements') }} as departements
    on communes.departement_code = departements.departement_code
inner join {{ ref('stg_referentiels__regions') }} as regions
    on departements.region_code = regions.region_code
left join {{ ref('stg_referentiels__bassins') }} as bassins
    on communes.commune_code = bassins.commune_code
left join {{ ref('regroupements_territoriaux') }} as groupings
    on communes.departement_code = groupings.departement_code
