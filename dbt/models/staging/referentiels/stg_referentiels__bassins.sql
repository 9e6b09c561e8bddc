select
    {{ commune_code(adapter.quote('CODE_COMMUNE_INSEE')) }} as commune_code,
    {{ padded_code('bassin_code', 4) }} as bassin_code,
    trim(bassin_nom) as bassin_name,
    {{ padded_code(adapter.quote('DEP'), 2) }} as departement_code,
    trim({{ adapter.quote('REG') }}) as region_code
from (
    {{ current_rows('referentiels', 'bassins') }}
) as lexicon
