-- The breakdowns every entry counts under (macro entry_breakdowns, which the incremental cubes also call on the
-- entries of their months only).
-- depends_on: {{ ref('bridge_entrees_financeurs') }}
-- depends_on: {{ ref('bridge_entrees_dispositifs') }}
-- depends_on: {{ ref('stg_referentiels__fap_rome') }}
{{ entry_breakdowns(ref('fct_entrees')) }}
