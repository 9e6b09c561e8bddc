-- Training schemes: the code list (seed dispositifs), plus any scheme met in the records that it lacks.
select source, code_dispositif as scheme_code, libelle_dispositif as scheme_label
from {{ ref('dispositifs') }}

union all

select distinct records.source_system, records.scheme_code, cast(null as {{ dbt.type_string() }})
from {{ ref('int_stagiaires__enregistrements') }} as records
left join {{ ref('dispositifs') }} as known
    on known.source = records.source_system and known.code_dispositif = records.scheme_code
where records.scheme_code is not null and known.code_dispositif is null
