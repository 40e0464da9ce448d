with

periods as (
    select * from run_periods
),

weighted as (
    select * from int_capaian_berbobot
),

bands as (
    select * from int_profil_pita
),

registry as (
    select * from ref.upt
),

profil as (
    select * from int_profil
),

per_unit as (
    select
        kode_satker,
        tahun,
        bulan,
        count(*) as jumlah_iku,
        count(*) filter (where diukur) as jumlah_diukur,
        -- in a fixed order: DOUBLE sums depend on the order of their terms, and a re-run must give the same bits
        sum(nilai_akhir order by kode_iku) as total_nilai_akhir,
        sum(nilai_akhir * bobot order by kode_iku) filter (where diukur) / sum(bobot) filter (where diukur) as nko,
    from weighted
    group by kode_satker, tahun, bulan
),

final as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        registry.nama_satker,
        per_unit.nko,
        predikat.label as predikat,
        cast(coalesce(per_unit.jumlah_iku, 0) as integer) as jumlah_iku,
        cast(coalesce(per_unit.jumlah_diukur, 0) as integer) as jumlah_diukur,
        per_unit.total_nilai_akhir,
        case
            when profil.tidak_diketahui is not null
                then 'profil ' || profil.tahun_profil || ' belum memuat: ' || profil.tidak_diketahui
        end as profil_tidak_lengkap,
    from periods
    left join per_unit using (kode_satker, tahun, bulan)
    left join registry using (kode_satker)
    left join profil
        on profil.tahun = periods.tahun
    left join bands as predikat
        on band_holds(predikat, 'predikat', periods.tahun, per_unit.nko)
)

select * from final
