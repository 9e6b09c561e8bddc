with orders as (

    {{ current_rows('financeurs', 'region_commandes') }}

)

select
    cast(_period as integer) as year,
    trim({{ adapter.quote('Numéro Action') }}) as action_id,
    trim({{ adapter.quote('Intitulé') }}) as action_title,
    trim({{ adapter.quote('Formacode') }}) as formacode,
    trim({{ adapter.quote('Code ROME Visé') }}) as rome_code,
    {{ padded_code(adapter.quote('Bassin'), 4) }} as bassin_code,
    trim({{ adapter.quote('Dispositif') }}) as scheme_code,
    cast(trim({{ adapter.quote('Places achetées') }}) as integer) as places_bought,
    {{ french_number(adapter.quote('Heures par stagiaire')) }} as hours_per_trainee,
    {{ french_number(adapter.quote('Montant engagé (€)')) }} as amount_committed,
    {{ yes_no_flag(adapter.quote('Financement PRIC'), 'Oui', 'Non') }} as is_pric_funded,
    _source_file as source_file,
    _source_line as source_line
from orders
