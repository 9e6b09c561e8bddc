{#-
    The two monthly cubes, as queries over any set of entries, so that one definition serves a full build (every
    entry), and an incremental one: the changed persons' entries as they are now, and as they were before the
    build (read from the tables before they are updated). A cube's cells are sums over entries, so the cells an
    incremental build touches are the old cell plus the new contributions minus the old ones (`recomputed_cells`).
    `entries`, `breakdowns`, `outcomes`: relations or CTE names shaped like fct_entrees, ind_ventilations__entrees
    (macro entry_breakdowns) and fct_sorties. Every measure is a bigint whichever path computed it.
-#}

{% macro cube_keys() -%}
    {{ return(['month_start', 'region_code', 'departement_code', 'bassin_code', 'grouping_name', 'grouping_code',
               'breakdown', 'breakdown_value']) }}
{%- endmacro %}

{% macro entry_cube_measures() -%}
    {{ return(['entries', 'infra_bac', 'jeunes', 'qpv', 'rsa', 'th', 'entries_after_first_tension_file',
               'in_tension']) }}
{%- endmacro %}

{% macro exit_cube_measures() -%}
    {{ return(['exits', 'hired_6m', 'durable_hired_6m', 'next_entry_90d']) }}
{%- endmacro %}

{#- Entries by month of entry × territory × breakdown, with the counts of I1, I3, I5 and I6 (ind_cube__entrees). -#}
{% macro entry_cube(entries, breakdowns) %}
with tension_years as (

    select distinct year from {{ ref('stg_france_travail__tension') }}

),

cube_entries as (

    select
        entries.*,
        cast(extract(year from entries.entry_date) as integer) as entry_year
    from {{ entries }} as entries

),

-- I6: the tension file that applies is the entry's year's, or the latest earlier one. Worked out once per year
-- (a join, not a subquery per entry, which some engines run row by row).
tension_year_of_entry_year as (

    select entry_years.entry_year, max(tension_years.year) as tension_year
    from (select distinct entry_year from cube_entries) as entry_years
    left join tension_years
        on tension_years.year <= entry_years.entry_year
    group by entry_years.entry_year

),

flagged as (

    select
        cube_entries.*,
        tension_year_of_entry_year.tension_year,
        -- A ROME × bassin absent from the file (or an entry without bassin) is not in tension.
        coalesce(tension.ind_tension_d >= {{ var('tension_threshold') }}, false) as in_tension
    from cube_entries
    inner join tension_year_of_entry_year
        on cube_entries.entry_year = tension_year_of_entry_year.entry_year
    left join {{ ref('stg_france_travail__tension') }} as tension
        on tension.year = tension_year_of_entry_year.tension_year
       and tension.rome_code = cube_entries.rome_code
       and tension.bassin_code = cube_entries.bassin_code

)

select
    cast({{ dbt.date_trunc('month', 'flagged.entry_date') }} as date) as month_start,
    flagged.region_code,
    flagged.departement_code,
    flagged.bassin_code,
    flagged.grouping_name,
    flagged.grouping_code,
    breakdowns.breakdown,
    breakdowns.breakdown_value,
    cast(count(*) as {{ dbt.type_bigint() }}) as entries,
    cast(sum(case when flagged.is_infra_bac then 1 else 0 end) as {{ dbt.type_bigint() }}) as infra_bac,
    cast(sum(case when flagged.age_at_entry < {{ var('young_age_limit') }} then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as jeunes,
    cast(sum(case when flagged.is_qpv then 1 else 0 end) as {{ dbt.type_bigint() }}) as qpv,
    cast(sum(case when flagged.is_rsa then 1 else 0 end) as {{ dbt.type_bigint() }}) as rsa,
    cast(sum(case when flagged.is_disabled_worker then 1 else 0 end) as {{ dbt.type_bigint() }}) as th,
    -- I6's population: entries from the first tension file on.
    cast(sum(case when flagged.tension_year is not null then 1 else 0 end) as {{ dbt.type_bigint() }})
        as entries_after_first_tension_file,
    cast(sum(case when flagged.tension_year is not null and flagged.in_tension then 1 else 0 end)
         as {{ dbt.type_bigint() }}) as in_tension
from flagged
inner join {{ breakdowns }} as breakdowns
    on flagged.entry_id = breakdowns.entry_id
group by 1, 2, 3, 4, 5, 6, 7, 8
{% endmacro %}

{#- Exits (entries with an exit date and an outcome row) by month of exit × territory × breakdown, with the counts
    of I4 and I8 (ind_cube__sorties). -#}
{% macro exit_cube(entries, outcomes, breakdowns) %}
select
    cast({{ dbt.date_trunc('month', 'entries.exit_date') }} as date) as month_start,
    entries.region_code,
    entries.departement_code,
    entries.bassin_code,
    entries.grouping_name,
    entries.grouping_code,
    breakdowns.breakdown,
    breakdowns.breakdown_value,
    cast(count(*) as {{ dbt.type_bigint() }}) as exits,
    cast(sum(case when outcomes.hired_6m then 1 else 0 end) as {{ dbt.type_bigint() }}) as hired_6m,
    cast(sum(case when outcomes.durable_hired_6m then 1 else 0 end) as {{ dbt.type_bigint() }}) as durable_hired_6m,
    cast(sum(case when outcomes.next_entry_90d then 1 else 0 end) as {{ dbt.type_bigint() }}) as next_entry_90d
from {{ entries }} as entries
inner join {{ outcomes }} as outcomes
    on entries.entry_id = outcomes.entry_id
inner join {{ breakdowns }} as breakdowns
    on entries.entry_id = breakdowns.entry_id
where entries.exit_date is not null
group by 1, 2, 3, 4, 5, 6, 7, 8
{% endmacro %}

{#- Null-safe equality of two cells' keys that every engine can hash-join on (`is not distinct from` is a nested
    loop on PostgreSQL). -#}
{% macro same_cell(left, right) -%}
    {%- for key in cube_keys() %}
    {% if not loop.first %}and {% endif -%}
    {%- if key == 'month_start' -%}
    {{ left }}.{{ key }} = {{ right }}.{{ key }}
    {%- else -%}
    coalesce({{ left }}.{{ key }}, '~') = coalesce({{ right }}.{{ key }}, '~')
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The cells an incremental build changes, with their values after it: the cell as it stood (`cube`, the cube's
    table before this build) plus `new` contributions minus `old` ones (both cube-shaped queries over the changed
    persons' entries). A cell whose entries fall to zero is returned with zero: the cube drops it. -#}
{% macro recomputed_cells(cube, new, old, measures) %}
{%- set keys = cube_keys() %}
with variations as (

    select * from ({{ new }}) as new_contributions

    union all

    select
        {{ keys | join(', ') }},
        {%- for measure in measures %}
        -{{ measure }} as {{ measure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from ({{ old }}) as old_contributions

),

changed_cells as (

    select
        {{ keys | join(', ') }},
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from variations
    group by {{ keys | join(', ') }}
    having {% for measure in measures %}sum({{ measure }}) <> 0{% if not loop.last %} or {% endif %}{% endfor %}

)

select
    {%- for key in keys %}
    changed_cells.{{ key }},
    {%- endfor %}
    {%- for measure in measures %}
    cast(coalesce(cube.{{ measure }}, 0) + changed_cells.{{ measure }} as {{ dbt.type_bigint() }})
        as {{ measure }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from changed_cells
left join {{ cube }} as cube
    on {{ same_cell('cube', 'changed_cells') }}
{% endmacro %}

{#- Pre-hook of an incremental cube: delete the cells `recomputed_cells` gave new values to. -#}
{% macro delete_recomputed_cells(cells) -%}
    {%- if pric_incremental() -%}
    delete from {{ this }}
    where exists (select 1 from {{ cells }} as cells where {{ same_cell('cells', this.identifier) }})
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- A cube-shaped query without rows (what the incremental models hold on a full build). -#}
{% macro empty_cube(measures) -%}
select
    cast(null as date) as month_start,
    {%- for key in cube_keys() if key != 'month_start' %}
    cast(null as {{ dbt.type_string() }}) as {{ key }},
    {%- endfor %}
    {%- for measure in measures %}
    cast(null as {{ dbt.type_bigint() }}) as {{ measure }}{% if not loop.last %},{% endif %}
    {%- endfor %}
where 1 = 0
{%- endmacro %}
