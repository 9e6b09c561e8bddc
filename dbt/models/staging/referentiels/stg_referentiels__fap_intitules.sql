-- FAP-2009 labels at their levels: FAP9_GL (4 groups), FAP9_1L (22 domains), FAP9_3L (87 FAP), FAP9_5L (225 FAP).
select
    case format_name
        when 'FAP9_0L' then 'ensemble' when 'FAP9_GL' then 'grand_groupe' when 'FAP9_1L' then 'domaine'
        when 'FAP9_3L' then 'fap_87' when 'FAP9_5L' then 'fap_225'
    end as level,
    trim(source_code) as fap_code,
    trim(target_code) as fap_label
from (
    {{ current_rows('referentiels', 'fap_intitules') }}
) as labels
where source_code is not null
