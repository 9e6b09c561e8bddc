-- On an incremental build, the months whose cube rows are recomputed: every month an entry or an exit of a changed
-- person falls in, before (int_entrees__perimetre_precedent) or after this build (fct_entrees). Empty on a full
-- build. See macros/incremental.sql.
{%- set incremental = var('changed_since', none) is not none and not flags.FULL_REFRESH %}
with touched as (

    select entry_date as day from {{ ref('int_entrees__perimetre_precedent') }}
    union all
    select exit_date from {{ ref('int_entrees__perimetre_precedent') }}
    union all
    select entry_date from {{ ref('fct_entrees') }} where {{ of_changed_persons('person_key', incremental) }}
    union all
    select exit_date from {{ ref('fct_entrees') }} where {{ of_changed_persons('person_key', incremental) }}

)

select distinct cast({{ dbt.date_trunc('month', 'day') }} as date) as month_start
from touched
where day is not null {% if not incremental %}and 1 = 0{% endif %}
