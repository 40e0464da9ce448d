-- NKO of the unit: the mean nilai akhir (normalised capaian) over every measured indicator of every sasaran
-- (methodology §5), each with its weight (ref.bobot_iku; 1 when not listed), and its predikat. A period with
-- nothing measured still has its row, with NULL nko.
with

periods as (
    select * from run_periods
),

capaian as (
    select * from int_capaian_iku
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

weights as (
    select * from ref.bobot_iku
),

weighted as (
    select
        capaian.*,
        coalesce(weights.bobot, 1) as bobot,
    from capaian
    left join weights
        on weights.tahun = capaian.tahun
        and weights.kode_satker = capaian.kode_satker
        and weights.kode_iku = capaian.kode_iku
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
        sum(nilai_akhir * bobot order by kode_iku) filter (where diukur)
            / sum(bobot) filter (where diukur) as nko,
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
        case when profil.tidak_diketahui is not null
            then 'profil ' || profil.tahun_profil || ' belum memuat: ' || profil.tidak_diketahui
        end as profil_tidak_lengkap,
    from periods
    left join per_unit using (kode_satker, tahun, bulan)
    left join registry using (kode_satker)
    left join profil
        on profil.tahun = periods.tahun
    left join bands as predikat
        on predikat.tahun = periods.tahun
        and predikat.skala = 'predikat'
        and in_band(round(per_unit.nko, 2), predikat.bawah, predikat.bawah_inklusif,
                    predikat.atas, predikat.atas_inklusif)
)

select * from final
