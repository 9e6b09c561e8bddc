-- Occupations: ROME codes of the current ROME vintage, with their FAP-2009 family through $FAP9RSQ (a ROME whose
-- family depends on the qualification has none here; see stg_referentiels__fap_rome, mapping rome_qualification).
select
    rome.rome_code,
    rome.rome_label,
    versions.period as rome_version,
    crosswalk.fap_code,
    labels.fap_label,
    substr(crosswalk.fap_code, 1, 1) as fap_domain_code
from {{ ref('stg_referentiels__rome') }} as rome
cross join (
    select max(period) as period
    from {{ ref('stg_ingestion__fichiers_courants') }}
    where feed = 'referentiels__rome'
) as versions
left join {{ ref('stg_referentiels__fap_rome') }} as crosswalk
    on crosswalk.mapping = 'rome' and crosswalk.source_code = rome.rome_code
left join {{ ref('stg_referentiels__fap_intitules') }} as labels
    on labels.level = 'fap_225' and labels.fap_code = crosswalk.fap_code
