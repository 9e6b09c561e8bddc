-- Job-seeker stock (DEFM) by quarter × département × category × level band × age band. `job_seekers` is NULL
-- where the source withholds the cell (`is_withheld`), never zero.
select
    quarter,
    year,
    departement_code,
    job_seeker_category,
    level_band,
    level_band = 'infra_bac' as is_infra_bac,
    age_band,
    job_seekers,
    is_withheld
from {{ ref('stg_france_travail__demandeurs_emploi') }}
