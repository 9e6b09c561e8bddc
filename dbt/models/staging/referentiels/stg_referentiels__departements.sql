select
    trim(departements.code) as departement_code,
    departements.name as departement_name,
    trim(departements.region_code) as region_code
from (
    {{ current_rows('referentiels', 'cog_departements') }}
) as departements
