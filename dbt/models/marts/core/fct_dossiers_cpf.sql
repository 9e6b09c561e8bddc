-- CPF files engaged (Caisse des Dépôts) by month × département × certification, cancelled apart: what the CPF
-- extract publishes as its flows (docs/delivery.md). A mart, so that delivery never reads staging.
select
    month,
    departement_code,
    certification_register,
    certification_code,
    -- Cast: a sum of integers is a 128-bit integer on DuckDB, a bigint elsewhere.
    cast(sum(case when not is_cancelled then files_engaged else 0 end) as bigint) as files_engaged,
    cast(sum(case when is_cancelled then files_engaged else 0 end) as bigint) as files_cancelled
from {{ ref('stg_financeurs__cpf') }}
group by month, departement_code, certification_register, certification_code
