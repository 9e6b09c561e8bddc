-- I1 `entrees`: number of entries (indicators.md). Definition of an entry: fct_entrees.
{{ entry_indicators(ref('ind_cube__entrees'), 'entries', [{'name': 'entrees', 'numerator': none}]) }}
