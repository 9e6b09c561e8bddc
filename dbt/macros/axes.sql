{#-
    Each row of `relation` once per period type and territorial level it is published at (indicators.md):
    period from `date_column` (year "2019", quarter "2019-T1", month "2019-01"), territory from the row's
    region_code / departement_code / bassin_code, and the Région's own grouping when the relation carries
    grouping_name / grouping_code (level = the grouping's name). A row without a territory at a level is left out at
    that level only. `columns`: the other columns to carry.
-#}
{% macro period_territory_axes(relation, date_column, columns, period_types=['year', 'quarter', 'month'],
                                where='1 = 1', with_grouping=true) %}
{%- set levels = {'region': 'region_code', 'departement': 'departement_code', 'bassin': 'bassin_code'} %}
{%- if with_grouping %}{% do levels.update({'grouping': 'grouping_code'}) %}{% endif %}
{%- for period_type in period_types %}
{%- for level, column in levels.items() %}
select
    '{{ period_type }}' as period_type,
    {{ period_label(period_type, date_column) }} as period,
    {{ "grouping_name" if level == 'grouping' else "'" ~ level ~ "'" }} as territory_level,
    {{ column }} as territory_code,
    {{ columns | join(', ') }}
from {{ relation }}
where {{ column }} is not null and ({{ where }})
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
