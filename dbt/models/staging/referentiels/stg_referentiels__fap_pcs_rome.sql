-- FAP;PCS;ROME rows, with the "same as above" cells already filled at load.
select distinct
    trim(fap) as fap_code,
    trim(pcs) as pcs_code,
    trim(rome) as rome_code
from (
    {{ current_rows('referentiels', 'fap_pcs_rome') }}
) as crosswalk
