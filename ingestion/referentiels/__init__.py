"""Reference files (nomenclatures) that join the feeds: INSEE COG, and later ROME, FAP, bassins BMO, LHEO offer."""
