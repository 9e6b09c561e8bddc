with current_rows as (

    select
        trim(communes.code) as commune_code,
        communes.type_code,
        communes.name as commune_name,
        trim(communes.department_code) as departement_code,
        trim(communes.region_code) as region_code,
        row_number() over (
            partition by trim(communes.code)
            order by case communes.type_code when 'COM' then 1 when 'ARM' then 2 else 3 end
        ) as type_rank
    from (
        {{ current_rows('referentiels', 'cog_communes') }}
    ) as communes

)

select
    commune_code,
    type_code as commune_type,
    commune_name,
    departement_code,
    region_code
from current_rows
where type_rank = 1
