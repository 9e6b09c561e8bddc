{#-
    Tests of person-grain models check, in an incremental build, only the rows that build rewrote: test config
    `where: "__changed_persons__"` (docs/operations.md). The other persons' rows are the ones the same tests passed
    on in the build that wrote them, untouched since (the build deletes and inserts the changed persons' rows only),
    and a duplicate or an orphan can only appear among the rows inserted. A full build, and `dbt test` on its own
    (no var incremental_builds), test every row. dbt's own where-subquery otherwise (dbt's documented override).
    Tests of staging views over a monthly feed take `where: "__changed_files__"`: the rows of the files loaded
    since the start of the last build that succeeded. A view's rows are its files' rows transformed; a change of
    the transformation is a change of the project, which makes the build a full one.
    Tests of `indicators` take `where: "__recomputed_indicators__"`: the families and years the build rewrote
    (macros/indicator_families.sql). A key holds its indicator and its period, so two rows with one key are
    rewritten together or not at all.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- if '__changed_persons__' in where -%}
        {%- set where = where | replace('__changed_persons__', changed_persons_condition()) -%}
    {%- endif -%}
    {%- if '__changed_files__' in where -%}
        {%- set where = where | replace('__changed_files__', changed_files_condition()) -%}
    {%- endif -%}
    {%- if '__recomputed_indicators__' in where -%}
        {%- set where = where | replace('__recomputed_indicators__', recomputed_indicators_test_condition(relation)) -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The relation of model `name`, found in the graph: a ref inside a test's macro is not one dbt sees when it
    parses the test. -#}
{% macro model_relation(name) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
        {{- return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error('model ' ~ name ~ ' not found') -}}
{%- endmacro %}

{#- The rows of the persons an incremental build rewrote, and those without a person key (always rebuilt); every
    row otherwise. -#}
{% macro changed_persons_condition() -%}
    {%- if not (execute and incremental_build()) -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {{- return(of_changed_persons('person_key', true, true, model_relation('int_personnes__modifiees'))) -}}
{%- endmacro %}

{#- The rows of `indicators` an incremental build rewrote; every row otherwise. -#}
{% macro recomputed_indicators_test_condition(relation) -%}
    {%- if not (execute and incremental_build()) -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {{- return('(' ~ recomputed_indicators_condition(relation.identifier) ~ ')') -}}
{%- endmacro %}

{#- The rows of the landing files loaded since the start of the last build that succeeded (column source_file);
    every row outside an incremental build. Sources found in the graph, as above. -#}
{% macro changed_files_condition() -%}
    {%- if not (execute and incremental_build()) -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {%- set tables = {} -%}
    {%- for node in graph.sources.values() if node.source_name == 'ingestion' -%}
        {%- do tables.update({node.name: api.Relation.create(database=node.database, schema=node.schema,
                                                               identifier=node.identifier)}) -%}
    {%- endfor -%}
    {{- return('source_file in (select file_path from ' ~ tables['manifest'] ~ ' where '
               ~ after_last_build('loaded_at', tables['dbt_builds']) ~ ')') -}}
{%- endmacro %}
