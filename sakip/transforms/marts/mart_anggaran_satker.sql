with

ro as (
    select * from int_anggaran_ro
),

pok as (
    select * from int_pok_ro
),

per_unit as (
    select
        kode_satker,
        tahun,
        bulan,
        sum(pagu) as pagu_ro,
        sum(realisasi) as realisasi,
    from ro
    group by all
),

pok_per_unit as (
    select
        kode_satker,
        tahun,
        sum(pagu_dipa) as pagu_dipa,
        sum(blokir) as blokir,
    from pok
    group by all
),

final as (
    select
        per_unit.kode_satker,
        per_unit.tahun,
        per_unit.bulan,
        per_unit.pagu_ro,
        pok_per_unit.pagu_dipa,
        pok_per_unit.blokir,
        per_unit.realisasi,
        pct(cast(per_unit.realisasi as double), cast(per_unit.pagu_ro as double)) as persen_terhadap_pagu_ro,
        pct(cast(per_unit.realisasi as double), cast(pok_per_unit.pagu_dipa as double)) as persen_terhadap_dipa,
        pct(cast(per_unit.realisasi as double), cast(pok_per_unit.pagu_dipa - pok_per_unit.blokir as double))
            as persen_terhadap_dipa_netto,
    from per_unit
    left join pok_per_unit using (kode_satker, tahun)
)

select * from final
