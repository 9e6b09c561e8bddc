select
    trim(regions.code) as region_code,
    regions.name as region_name,
    lower(regions.is_metropolitan) = 'true' as is_metropolitan
from {{ source('referentiels', 'cog_regions') }} as regions
inner join {{ ref('stg_ingestion__fichiers_courants') }} as current_files
    on regions._source_file = current_files.file_path
   and current_files.feed = 'referentiels__cog_regions'
