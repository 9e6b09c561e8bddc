{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_months_to_recompute() }}") }}
-- depends_on: {{ ref('int_mois__a_recalculer') }}
-- depends_on: {{ ref('bridge_entrees_financeurs') }}
-- depends_on: {{ ref('bridge_entrees_dispositifs') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
-- Entries counted at the finest grain every published cell is a sum of: month of the entry date × territory (the
-- codes derived from the entry's commune) × breakdown. The indicator models roll this cube up to years, quarters
-- and each territorial level, so each entry is read once instead of once per period type and level (12 times).
-- Measures are counts of entries meeting each condition of I1, I3, I5 and I6 (indicators.md).
with tension_years as (

    select distinct year from {{ ref('stg_france_travail__tension') }}

),

entries_of_months as (

    select
        entries.*,
        cast(extract(year from entries.entry_date) as integer) as entry_year
    from {{ ref('fct_entrees') }} as entries
    where {{ in_months_to_recompute('entries.entry_date') }}

),

-- I6: the tension file that applies is the entry's year's, or the latest earlier one. Worked out once per year
-- (a join, not a subquery per entry, which some engines run row by row).
tension_year_of_entry_year as (

    select entry_years.entry_year, max(tension_years.year) as tension_year
    from (select distinct entry_year from entries_of_months) as entry_years
    left join tension_years
        on tension_years.year <= entry_years.entry_year
    group by entry_years.entry_year

),

entries as (

    select entries_of_months.*, tension_year_of_entry_year.tension_year
    from entries_of_months
    inner join tension_year_of_entry_year
        on entries_of_months.entry_year = tension_year_of_entry_year.entry_year

),

-- On an incremental build, the breakdowns of these months' entries only (macro entry_breakdowns), not of all.
breakdowns as (

    {% if pric_incremental() -%}
    {{ entry_breakdowns('entries_of_months', subset=true) }}
    {%- else -%}
    select * from {{ ref('ind_ventilations__entrees') }}
    {%- endif %}

),

flagged as (

    select
        entries.*,
        -- A ROME × bassin absent from the file (or an entry without bassin) is not in tension.
        coalesce(tension.ind_tension_d >= {{ var('tension_threshold') }}, false) as in_tension
    from entries
    left join {{ ref('stg_france_travail__tension') }} as tension
        on tension.year = entries.tension_year
       and tension.rome_code = entries.rome_code
       and tension.bassin_code = entries.bassin_code

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
    count(*) as entries,
    sum(case when flagged.is_infra_bac then 1 else 0 end) as infra_bac,
    sum(case when flagged.age_at_entry < {{ var('young_age_limit') }} then 1 else 0 end) as jeunes,
    sum(case when flagged.is_qpv then 1 else 0 end) as qpv,
    sum(case when flagged.is_rsa then 1 else 0 end) as rsa,
    sum(case when flagged.is_disabled_worker then 1 else 0 end) as th,
    -- I6's population: entries from the first tension file on.
    sum(case when flagged.tension_year is not null then 1 else 0 end) as entries_after_first_tension_file,
    sum(case when flagged.tension_year is not null and flagged.in_tension then 1 else 0 end) as in_tension
from flagged
inner join breakdowns
    on flagged.entry_id = breakdowns.entry_id
group by 1, 2, 3, 4, 5, 6, 7, 8
