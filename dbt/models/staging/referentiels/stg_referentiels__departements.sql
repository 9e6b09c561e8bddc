select
    trim(departements.code) as departement_code,
    departements.name as departement_name,
    trim(departements.region_code) as region_code
from {{ source('referentiels', 'cog_departements') }} as departements
inner join {{ ref('stg_ingestion__fichiers_courants') }} as current_files
    on departements._source_file = current_files.file_path
   and current_files.feed = 'referentiels__cog_departements'
