with

periods as (
    select * from run_periods
),

samples as (
    select * from int_sipt_sampel
),

as_of as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        samples.komoditi,
        samples.tanggal_lhu <= periods.akhir_periode as lhu_keluar,
        samples.hasil_uji,
        samples.kesimpulan_label,
    from periods
    inner join samples
        on samples.kode_satker = periods.kode_satker
        and year(samples.tanggal_sampling) = periods.tahun
        and samples.tanggal_sampling <= periods.akhir_periode
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        komoditi,
        cast(count(*) as integer) as jumlah_sampel,
        cast(count(*) filter (where lhu_keluar and hasil_uji = 'MS') as integer) as ms,
        cast(count(*) filter (where lhu_keluar and hasil_uji = 'TMS') as integer) as tms,
        cast(count(*) filter (where lhu_keluar is not true) as integer) as dalam_pengujian,
        cast(count(*) filter (where kesimpulan_label = 'TIE') as integer) as label_tie,
    from as_of
    group by all
)

select * from final
