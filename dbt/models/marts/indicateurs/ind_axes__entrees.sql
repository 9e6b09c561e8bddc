-- Each entry once per period (of its entry date) and territorial level: the base of I1, I2, I3, I6.
{{ period_territory_axes(ref('fct_entrees'), 'entry_date',
    ['entry_id', 'entry_date', 'is_infra_bac', 'age_at_entry', 'is_qpv', 'is_rsa', 'is_disabled_worker',
     'rome_code']) }}
