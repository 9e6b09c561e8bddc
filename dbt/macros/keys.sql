{#- Keys of the person-grain tables (person_key, record_id, entry_id): a 128-bit hash of a text, stored as a UUID
    where the engine has that type. As hexadecimal text (64 characters for the HMAC pseudonym, 32 for an MD5) they
    made the person-grain models two to four times slower at national scale (docs/operations.md, runs 20 to 22).
    The raw layer keeps the HMAC as loaded; person_key is the hash of it, so it stays a keyed pseudonym and needs no
    reload. The values differ from one engine to another (DuckDB's md5_number reads the digest's bytes in reverse
    order): they are keys, never compared across engines, and ordering by them only separates records identical in
    everything else. -#}
{% macro key_hash(text_expression) -%}
    {{ return(adapter.dispatch('key_hash', 'pric')(text_expression)) }}
{%- endmacro %}

{% macro default__key_hash(text_expression) -%}
    cast(md5({{ text_expression }}) as uuid)
{%- endmacro %}

{#- md5_number gives the digest as a 128-bit integer, which casts to UUID directly: twice as fast as casting
    md5()'s hexadecimal text (2.6 s against 5.2 s for 10 M rows). -#}
{% macro duckdb__key_hash(text_expression) -%}
    cast(md5_number({{ text_expression }}) as uuid)
{%- endmacro %}

{#- Spark has no UUID type (and rebuilds every table on every build): the digest's text. -#}
{% macro spark__key_hash(text_expression) -%}
    md5({{ text_expression }})
{%- endmacro %}

{#- A key as text, to hash it into another key (an entry's key from its person's). -#}
{% macro key_text(key_column) -%}
    cast({{ key_column }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- A trainee record's key, from the raw columns that identify it in its source: France Travail's person and
    session (another person is another record), the Région's trainee and action (a later version may carry another
    person, or none). The staging views and int_enregistrements_sans_personne__modifies compute it the same way. -#}
{% macro france_travail_record_id(person_hmac, session_number) -%}
    {{ key_hash(dbt.concat(["'france_travail|'", "coalesce(" ~ person_hmac ~ ", '')", "'|'",
                            "trim(" ~ session_number ~ ")"])) }}
{%- endmacro %}

{% macro region_record_id(trainee_hmac, action_number) -%}
    {{ key_hash(dbt.concat(["'region|'", trainee_hmac, "'|'", "trim(" ~ action_number ~ ")"])) }}
{%- endmacro %}

{#- The entry of a record without a person key: the record alone (int_entrees__rattachement). -#}
{% macro unkeyed_entry_id(record_id) -%}
    {{ key_hash(dbt.concat(["'record|'", key_text(record_id)])) }}
{%- endmacro %}
