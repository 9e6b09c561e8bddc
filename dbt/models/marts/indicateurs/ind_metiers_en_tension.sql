-- I6 `part_metiers_en_tension` (indicators.md): share of entries whose targeted ROME has ind_tension_d of
-- var('tension_threshold') (4) or more for the entry's bassin, in the tension file of the entry's year or the
-- latest earlier one. Entries before the first file are left out; a ROME × bassin absent from the file (or an
-- entry without bassin) is not in tension. Yearly.
with tension_years as (

    select distinct year from {{ ref('stg_france_travail__tension') }}

),

entries as (

    select
        entries.*,
        -- The tension file that applies: the entry's year, or the latest earlier one.
        (select max(tension_years.year) from tension_years
         where tension_years.year <= extract(year from entries.entry_date)) as tension_year
    from {{ ref('fct_entrees') }} as entries

),

flagged as (

    select
        entries.*,
        coalesce(tension.ind_tension_d >= {{ var('tension_threshold') }}, false) as in_tension
    from entries
    left join {{ ref('stg_france_travail__tension') }} as tension
        on tension.year = entries.tension_year
       and tension.rome_code = entries.rome_code
       and tension.bassin_code = entries.bassin_code
    where entries.tension_year is not null

),

axes as (

    {{ period_territory_axes('flagged', 'entry_date', ['entry_id', 'in_tension'], period_types=['year']) }}

)

select * from (
    {{ entry_indicators('axes', [{'name': 'part_metiers_en_tension', 'numerator': 'in_tension'}],
                        period_types=['year']) }}
) as shares
