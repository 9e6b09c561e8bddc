{#- The rows of a raw table that come from current landing files (stg_ingestion__fichiers_courants): for each
    period the file that arrived last; superseded files stay in the raw table but are not read. -#}
{% macro current_rows(source_name, table_name) -%}
    select raw_rows.*
    from {{ source(source_name, table_name) }} as raw_rows
    inner join {{ ref('stg_ingestion__fichiers_courants') }} as current_files
        on raw_rows._source_file = current_files.file_path
       and current_files.feed = '{{ source_name }}__{{ table_name }}'
{%- endmacro %}
