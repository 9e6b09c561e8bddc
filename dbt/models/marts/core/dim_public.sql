-- The publics of the `public` breakdown and of I3 (indicators.md).
select 'peu_qualifies' as public_code, 'Niveau inférieur au baccalauréat (infra IV)' as public_label
union all select 'jeunes', 'Moins de {{ var("young_age_limit") }} ans à l''entrée'
union all select 'qpv', 'Résidant en quartier prioritaire de la politique de la ville'
union all select 'rsa', 'Bénéficiaire du RSA'
union all select 'th', 'Travailleur handicapé (bénéficiaire de l''obligation d''emploi)'
