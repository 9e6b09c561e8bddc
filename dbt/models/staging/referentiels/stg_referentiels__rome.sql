-- The official export SQL-escapes apostrophes inside quoted fields ("d''ouvrages"): undone here.
select
    trim(code_rome) as rome_code,
    replace(libelle_rome, '''''', '''') as rome_label,
    trim(code_ogr) as ogr_code,
    trim(statut) as status
from (
    {{ current_rows('referentiels', 'rome') }}
) as rome
