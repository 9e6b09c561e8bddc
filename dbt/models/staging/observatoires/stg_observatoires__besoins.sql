with needs as (

    {{ current_rows('observatoires', 'besoins') }}

)

select
    {{ landing_subfolder('_source_file', 2) }} as branch,
    cast(_period as integer) as year,
    trim(region) as region_name,
    trim(code_rome) as rome_code,
    trim(metier) as occupation_name,
    {{ french_number('besoins_3_ans') }} as recruitment_needs_3_years,
    {{ french_number('dont_creations') }} as of_which_new_jobs,
    cast(nullif(trim(difficulte), '') as integer) as recruitment_difficulty,
    trim(competences_cles) as key_skills,
    _source_file as source_file,
    _source_sheet as source_sheet,
    _source_line as source_line
from needs
