-- One row per commune code: the territorial levels an entry's commune of residence rolls up to.
-- (Bassin BMO and a Région's own grouping join here when their reference files are shipped.)
select
    communes.commune_code,
    communes.commune_name,
    communes.commune_type,
    communes.departement_code,
    departements.departement_name,
    departements.region_code,
    regions.region_name
from {{ ref('stg_referentiels__communes') }} as communes
inner join {{ ref('stg_referentiels__departements') }} as departements
    on communes.departement_code = departements.departement_code
inner join {{ ref('stg_referentiels__regions') }} as regions
    on departements.region_code = regions.region_code
