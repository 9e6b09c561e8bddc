-- I1 `entrees`: number of entries (indicators.md). Definition of an entry: fct_entrees.
{{ entry_indicators([{'name': 'entrees', 'numerator': none}]) }}
