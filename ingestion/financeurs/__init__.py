"""Funders' own files: the Région's trainees and orders, CPF files engaged (Caisse des Dépôts)."""
