-- The breakdowns an entry counts under (indicators.md): `ensemble` once; `financeur` and `dispositif` once per
-- funder and scheme of its own; `formacode_domaine` (the Formacode's first three digits), `rome` (targeted ROME),
-- `fap` (its FAP-2009 through $FAP9RSQ); `public`: once under each public it belongs to.
with entries as (

    select * from {{ ref('fct_entrees') }}

)

select entry_id, 'ensemble' as breakdown, 'ensemble' as breakdown_value from entries

union all

select entry_id, 'financeur', code_financeur from {{ ref('bridge_entrees_financeurs') }}

union all

select distinct entry_id, 'dispositif', scheme_code from {{ ref('bridge_entrees_dispositifs') }}

union all

select entry_id, 'formacode_domaine', substr(formacode, 1, 3) from entries where formacode is not null

union all

select entry_id, 'rome', rome_code from entries where rome_code is not null

union all

select entries.entry_id, 'fap', crosswalk.fap_code
from entries
inner join {{ ref('stg_referentiels__fap_rome') }} as crosswalk
    on crosswalk.mapping = 'rome' and crosswalk.source_code = entries.rome_code

{%- for public, condition in [('peu_qualifies', 'is_infra_bac'),
                              ('jeunes', 'age_at_entry < ' ~ var('young_age_limit')),
                              ('qpv', 'is_qpv'), ('rsa', 'is_rsa'), ('th', 'is_disabled_worker')] %}

union all

select entry_id, 'public', '{{ public }}' from entries where {{ condition }}
{%- endfor %}
