select
    code_financeur,
    libelle_financeur,
    destinataire_extrait
from {{ ref('financeurs') }}
