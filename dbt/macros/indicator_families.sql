{#-
    The families of the published table `indicators`: one ind_* model each, and the indicators it publishes.

    `by_year`: the family is a roll-up of the monthly cubes, so a cell of year Y (the year, its quarters, its
    months) changes only when a cube cell of a month of Y changed. An incremental build rewrites only those years
    of it (`recomputed_indicator_years`). `baseline`: the family compares each year with the baseline year
    (var baseline_year), so a change there reaches every year. The other families are small (under 50 000 rows
    at national scale) and read other facts (stocks, costs, orders, needs): they are rewritten whole every build.
    The accepted values of `indicators.indicator` (its YAML) list the same names.
-#}
{% macro indicator_families() -%}
    {{ return([
        {'model': 'ind_entrees', 'indicators': ['entrees'], 'by_year': true},
        {'model': 'ind_entrees_supplementaires', 'indicators': ['entrees_supplementaires'], 'by_year': true,
         'baseline': true},
        {'model': 'ind_publics', 'indicators': ['part_peu_qualifies', 'part_jeunes', 'part_qpv', 'part_rsa',
                                                'part_th'], 'by_year': true},
        {'model': 'ind_sorties', 'indicators': ['taux_acces_emploi_6m', 'taux_emploi_durable_6m',
                                                'taux_parcours_enchaines'], 'by_year': true},
        {'model': 'ind_metiers_en_tension', 'indicators': ['part_metiers_en_tension'], 'by_year': true},
        {'model': 'ind_acces_formation', 'indicators': ['taux_acces_formation'], 'by_year': false},
        {'model': 'ind_couverture_besoins', 'indicators': ['couverture_besoins'], 'by_year': false},
        {'model': 'ind_couts', 'indicators': ['cout_moyen_entree', 'cout_horaire'], 'by_year': false},
        {'model': 'ind_remplissage', 'indicators': ['taux_remplissage'], 'by_year': false},
    ]) }}
{%- endmacro %}

{#- The years (text, as the first four characters of a period label) holding a cube cell this incremental build
    recomputed, in either cube: a list read when the model runs, so that the year filter is a constant the engine
    pushes down to the cubes' scans (a subquery there is only applied after every family's full roll-up). The
    cell tables are found in the graph (macros/changed_rows_tests.sql), so that the tests of `indicators` can read
    the same years; the model names them in its depends_on lines. -#}
{% macro recomputed_indicator_years() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        {%- for cells in ['int_cube_entrees__cellules_recalculees', 'int_cube_sorties__cellules_recalculees'] %}
        select distinct cast(extract(year from month_start) as {{ dbt.type_string() }}) as year
        from {{ model_relation(cells) }}
        {% if not loop.last %}union{% endif %}
        {%- endfor %}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | map('string') | sort | list) }}
{%- endmacro %}

{#- Where-condition on the rows of a family (`rows`: their alias or table name) that an incremental build of
    `indicators` replaces, given the recomputed `years`. -#}
{% macro recomputed_indicator_rows(family, years, rows) -%}
    {%- if not family.by_year or (family.baseline and (var('baseline_year') | string) in years) -%}
    1 = 1
    {%- elif years -%}
    substr({{ rows }}.period, 1, 4) in ('{{ years | join("', '") }}')
    {%- else -%}
    1 = 0
    {%- endif -%}
{%- endmacro %}

{#- Where-condition on the rows of `indicators` (`rows`: the table's name) an incremental build replaces: what its
    pre-hook deletes and inserts again, and what its tests read in that build (`__recomputed_indicators__`). -#}
{% macro recomputed_indicators_condition(rows) -%}
    {%- set years = recomputed_indicator_years() %}
    {%- for family in indicator_families() %}
        {% if not loop.first %}or {% endif -%}
        (indicator in ('{{ family.indicators | join("', '") }}')
         and {{ recomputed_indicator_rows(family, years, rows) }})
    {%- endfor %}
{%- endmacro %}

{#- Pre-hook of `indicators` on an incremental build: delete the rows it is about to insert again. -#}
{% macro delete_recomputed_indicators() -%}
    {%- if pric_incremental() -%}
    delete from {{ this }}
    where {{ recomputed_indicators_condition(this.identifier) }}
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
