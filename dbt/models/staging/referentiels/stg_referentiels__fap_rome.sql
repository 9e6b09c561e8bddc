-- ROME → FAP-2009 (DARES SAS formats). $FAP9RSQ maps a ROME code alone; $FAP9RAQ maps ROME + qualification
-- digit. `Other` rows and the "ZZZZZ" default mean "not mapped by this table" and are left out.
select
    case format_name when 'FAP9RSQ' then 'rome' when 'FAP9RAQ' then 'rome_qualification' end as mapping,
    trim(source_code) as source_code,
    substr(trim(source_code), 1, 5) as rome_code,
    trim(target_code) as fap_code
from (
    {{ current_rows('referentiels', 'fap_rome_passage') }}
) as passage
where format_name in ('FAP9RSQ', 'FAP9RAQ')
  and source_code is not null
  and target_code <> 'ZZZZZ'
