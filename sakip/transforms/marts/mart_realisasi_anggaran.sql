with

ro as (
    select * from int_anggaran_ro
),

pok as (
    select * from int_pok_ro
),

final as (
    select
        ro.kode_satker,
        ro.tahun,
        ro.bulan,
        ro.kode_ro,
        ro.uraian,
        ro.pagu,
        pok.blokir,
        ro.realisasi,
        pct(cast(ro.realisasi as double), cast(ro.pagu as double)) as persen_realisasi,
        ro.pagu - ro.realisasi as sisa,
        cast(ro.urutan as integer) as urutan,
    from ro
    left join pok using (kode_satker, tahun, kode_ro)
)

select * from final
