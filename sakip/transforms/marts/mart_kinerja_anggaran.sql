with

capaian as (
    select * from int_capaian_iku
),

groups as (
    select * from ref.kelompok_iku
),

group_budget as (
    select * from int_anggaran_kelompok
),

final as (
    select
        capaian.kode_satker,
        capaian.tahun,
        capaian.bulan,
        groups.kelompok,
        capaian.kode_ss,
        capaian.kode_iku,
        capaian.indikator,
        capaian.target,
        capaian.realisasi,
        capaian.capaian,
        group_budget.pagu,
        group_budget.realisasi as realisasi_anggaran,
        pct(cast(group_budget.realisasi as double), cast(group_budget.pagu as double)) as persen_realisasi_anggaran,
        cast(capaian.urutan as integer) as urutan,
    from capaian
    left join groups
        on groups.kode_satker = capaian.kode_satker
        and groups.tahun = capaian.tahun
        and groups.kode_iku = capaian.kode_iku
    left join group_budget
        on group_budget.kode_satker = capaian.kode_satker
        and group_budget.tahun = capaian.tahun
        and group_budget.bulan = capaian.bulan
        and group_budget.kelompok = groups.kelompok
)

select * from final
