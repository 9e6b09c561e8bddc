select
    trim(regions.code) as region_code,
    regions.name as region_name,
    lower(regions.is_metropolitan) = 'true' as is_metropolitan
from (
    {{ current_rows('referentiels', 'cog_regions') }}
) as regions
