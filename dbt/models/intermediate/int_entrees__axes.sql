-- Each entry once per period type and territorial level it is published at: the common input of every
-- indicator counted over entries. Periods: year, quarter, month of the entry's date. Levels derive from the
-- entry's commune of residence; an entry without a known commune is left out of that level only.
{%- set period_types = ['year', 'quarter', 'month'] %}
{%- set levels = {'region': 'region_code', 'departement': 'departement_code'} %}
{% for period_type in period_types %}
{%- for level, column in levels.items() %}
select
    entry_id,
    '{{ period_type }}' as period_type,
    {{ period_label(period_type, 'entry_date') }} as period,
    '{{ level }}' as territory_level,
    {{ column }} as territory_code,
    is_infra_bac,
    age_at_entry,
    is_qpv,
    is_rsa,
    is_disabled_worker
from {{ ref('fct_entrees') }}
where {{ column }} is not null
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
