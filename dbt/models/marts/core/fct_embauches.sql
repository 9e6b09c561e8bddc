{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
           pre_hook="{{ delete_changed_persons() }}") }}
-- depends_on: {{ ref('int_personnes__modifiees') }}
-- One row per hiring of a job seeker (DPAE/MMO-like events), with the two tests the outcome indicators use.
-- An incremental build rewrites the persons named in the hiring files loaded since the last build.
select
    person_key,
    hiring_date,
    contract_type,
    contract_days,
    rome_code,
    employer_commune_code,
    -- I4: a hiring "of 30 days or more (a CDI counts)".
    coalesce(contract_type = 'CDI' or contract_days >= 30, false) as is_30_days_or_more,
    -- I4 durable: "only CDI, or CDD of 183 days or more".
    coalesce(contract_type = 'CDI' or (contract_type = 'CDD' and contract_days >= 183), false) as is_durable
from {{ ref('stg_france_travail__reprises_emploi') }}
where person_key is not null and {{ of_changed_persons('person_hmac', with_unkeyed=false, changed_column='person_hmac') }}
