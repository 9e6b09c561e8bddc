-- Qualification levels as each source writes them, on both scales: the 1969 one (VI … I) and the 2019 national
-- framework (1 … 8), and whether below the bac (the Pact's low-qualified public).
select
    source,
    code_niveau as level_code,
    libelle_niveau as level_label,
    est_infra_bac as is_infra_bac,
    niveau_ancienne_nomenclature as level_1969_scale,
    niveau_cnc_2019 as level_2019_framework
from {{ ref('niveaux_formation') }}
