-- Every trainee record of every source, in one shape: the input of entry deduplication.
-- `source_rank` orders sources where indicators.md says France Travail comes first.
select
    record_id,
    source_system,
    1 as source_rank,
    person_key,
    start_date,
    exit_date,
    formacode,
    rome_code,
    scheme_code,
    funder_codes,
    level_code,
    commune_code,
    age_at_start,
    days_since_birthday,
    is_qpv,
    is_rsa,
    is_disabled_worker
from {{ ref('stg_france_travail__stagiaires') }}
