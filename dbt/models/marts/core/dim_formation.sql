-- Training domains: every Formacode met in entries, orders or the training offer, with its domain (first three
-- digits). No Formacode reference file is among the feeds yet, so labels come from the offer when it has one.
with codes as (

    select formacode from {{ ref('int_stagiaires__enregistrements') }} where formacode is not null
    union
    select formacode from {{ ref('stg_financeurs__region_commandes') }} where formacode is not null
    union
    select formacode from {{ ref('stg_referentiels__offre_sessions') }} where formacode is not null

),

titles as (

    select formacode, min(formation_title) as example_title
    from {{ ref('stg_referentiels__offre_sessions') }}
    group by formacode

)

select
    codes.formacode,
    substr(codes.formacode, 1, 3) as formacode_domain,
    titles.example_title
from codes
left join titles
    on codes.formacode = titles.formacode
