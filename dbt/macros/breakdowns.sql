{#-
    The breakdowns each entry of `entries` counts under (indicators.md): `ensemble` once; `financeur` and
    `dispositif` once per funder and scheme of its own; `formacode_domaine` (the Formacode's first three digits),
    `rome` (targeted ROME), `fap` (its FAP-2009 through $FAP9RSQ); `public`: once under each public it belongs to.
    `entries`: fct_entrees or a subset of its rows (a CTE name). The bridges are read in full unless `subset`: then
    only the rows of those entries, which keeps an incremental cube in proportion to the persons that changed (the
    view ind_ventilations__entrees, over every entry, is computed whole before any filter applies).
    `funders`, `schemes`: the two bridges (default: their models; an incremental build passes their tables as they
    stood before it, macro previous_state). A model calling this declares `-- depends_on:`
    bridge_entrees_financeurs, bridge_entrees_dispositifs and stg_referentiels__fap_rome.
-#}
{% macro entry_breakdowns(entries, subset=false, funders=none, schemes=none) %}
{%- set of_entries = "where entry_id in (select entry_id from " ~ entries ~ ")" if subset else "" %}
{%- set funders = ref('bridge_entrees_financeurs') if funders is none else funders %}
{%- set schemes = ref('bridge_entrees_dispositifs') if schemes is none else schemes %}
select entry_id, 'ensemble' as breakdown, 'ensemble' as breakdown_value from {{ entries }}

union all

select entry_id, 'financeur', code_financeur from {{ funders }} {{ of_entries }}

union all

select distinct entry_id, 'dispositif', scheme_code from {{ schemes }} {{ of_entries }}

union all

select entry_id, 'formacode_domaine', substr(formacode, 1, 3) from {{ entries }} where formacode is not null

union all

select entry_id, 'rome', rome_code from {{ entries }} where rome_code is not null

union all

select entries.entry_id, 'fap', crosswalk.fap_code
from {{ entries }} as entries
inner join {{ ref('stg_referentiels__fap_rome') }} as crosswalk
    on crosswalk.mapping = 'rome' and crosswalk.source_code = entries.rome_code

{%- for public, condition in [('peu_qualifies', 'is_infra_bac'),
                              ('jeunes', 'age_at_entry < ' ~ var('young_age_limit')),
                              ('qpv', 'is_qpv'), ('rsa', 'is_rsa'), ('th', 'is_disabled_worker')] %}

union all

select entry_id, 'public', '{{ public }}' from {{ entries }} where {{ condition }}
{%- endfor %}
{% endmacro %}
