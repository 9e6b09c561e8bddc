with tension as (

    {{ current_rows('france_travail', 'tension') }}

)

select
    cast(trim(annee) as integer) as year,
    trim({{ adapter.quote('ROME') }}) as rome_code,
    {{ padded_code('cbassin', 4) }} as bassin_code,
    {{ french_number('oee') }} as job_offers,
    {{ french_number('defm_abc') }} as job_seekers_abc,
    {%- for indicator in ['ind_tension_d', 'ind_int_emb_d', 'ind_main_oeuvre_d', 'ind_dur_empl_d',
                          'ind_cond_travail_d', 'ind_mismatch_geo_d', 'ind_specif_form_empl_d'] %}
    cast(nullif(trim({{ indicator }}), '') as integer) as {{ indicator }}{{ ',' if not loop.last }}
    {%- endfor %}
from tension
