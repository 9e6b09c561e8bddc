{#-
    Tests of person-grain models check, in an incremental build, only the rows that build rewrote: test config
    `where: "__changed_persons__"` (docs/operations.md). The other persons' rows are the ones the same tests passed
    on in the build that wrote them, untouched since (the build deletes and inserts the changed persons' rows only),
    and a duplicate or an orphan can only appear among the rows inserted. A full build, and `dbt test` on its own
    (no var incremental_builds), test every row. dbt's own where-subquery otherwise (dbt's documented override).
    Tests of staging views over a monthly feed take `where: "__changed_files__"`: the rows of the files loaded
    since the start of the last build that succeeded. A view's rows are its files' rows transformed; a change of
    the transformation is a change of the project, which makes the build a full one.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- if '__changed_persons__' in where -%}
        {%- set where = where | replace('__changed_persons__', changed_persons_condition()) -%}
    {%- endif -%}
    {%- if '__changed_files__' in where -%}
        {%- set where = where | replace('__changed_files__', changed_files_condition()) -%}
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

{#- The rows of the persons an incremental build rewrote, and those without a person key (always rebuilt); every
    row otherwise. The model is found in the graph, not by ref(): a ref inside a test's macro is not one dbt
    sees when it parses the test. -#}
{% macro changed_persons_condition() -%}
    {%- if not (execute and incremental_build()) -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {%- for node in graph.nodes.values()
          if node.resource_type == 'model' and node.name == 'int_personnes__modifiees' -%}
        {%- set changed = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
        {{- return(of_changed_persons('person_key', true, true, changed)) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error('model int_personnes__modifiees not found') -}}
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
