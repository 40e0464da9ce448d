with

periods as (
    select * from run_periods
),

letters as (
    select * from int_sipt_rekomendasi
),

as_of as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        letters.jenis_penerima,
        letters.tanggal_feedback <= periods.akhir_periode as ada_feedback,
    from periods
    inner join letters
        on letters.kode_satker = periods.kode_satker
        and year(letters.tanggal_surat) = periods.tahun
        and letters.tanggal_surat <= periods.akhir_periode
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        jenis_penerima,
        cast(count(*) as integer) as jumlah_surat,
        cast(count(*) filter (where ada_feedback) as integer) as dengan_feedback,
        cast(count(*) filter (where ada_feedback is not true) as integer) as tanpa_feedback,
    from as_of
    group by all
)

select * from final
