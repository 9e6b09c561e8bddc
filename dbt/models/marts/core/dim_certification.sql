-- Certifications met in the training offer (RNCP, Certif Info) and in CPF files (RNCP), one row per register × code.
with codes as (

    select 'RNCP' as certification_register, rncp_code as certification_code, min(formation_title) as title
    from {{ ref('stg_referentiels__offre_sessions') }}
    where rncp_code is not null
    group by rncp_code

    union all

    select 'CERTIFINFO', certifinfo_code, min(formation_title)
    from {{ ref('stg_referentiels__offre_sessions') }}
    where certifinfo_code is not null
    group by certifinfo_code

    union all

    select certification_register, certification_code, min(certification_title)
    from {{ ref('stg_financeurs__cpf') }}
    where certification_code is not null
    group by certification_register, certification_code

)

select certification_register, certification_code, min(title) as title
from codes
group by certification_register, certification_code
