with

weighted as (
    select * from int_capaian_berbobot
),

bands as (
    select * from int_profil_pita
),

per_sasaran as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_ss,
        min(sasaran) as sasaran,
        cast(count(*) as integer) as jumlah_iku,
        cast(count(*) filter (where diukur) as integer) as jumlah_diukur,
        -- in a fixed order: DOUBLE sums depend on the order of their terms, and a re-run must give the same bits
        sum(capaian * bobot order by kode_iku) filter (where diukur) / sum(bobot) filter (where diukur) as nps,
        min(urutan) as urutan,
    from weighted
    group by kode_satker, tahun, bulan, kode_ss
),

final as (
    select
        per_sasaran.kode_satker,
        per_sasaran.tahun,
        per_sasaran.bulan,
        per_sasaran.kode_ss,
        per_sasaran.sasaran,
        per_sasaran.jumlah_iku,
        per_sasaran.jumlah_diukur,
        per_sasaran.nps,
        kriteria.label as kriteria,
        cast(per_sasaran.urutan as integer) as urutan,
    from per_sasaran
    left join bands as kriteria
        on band_holds(kriteria, 'kriteria', per_sasaran.tahun, per_sasaran.nps)
)

select * from final
