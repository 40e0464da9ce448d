with

periods as (
    select * from run_periods
),

inspections as (
    select * from int_sipt_pemeriksaan
),

as_of as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        inspections.* exclude (kode_satker),  -- names a column of the star, not a reference -- noqa: RF02
        inspections.tanggal_surat_tl <= periods.akhir_periode as ada_surat_tl,
    from periods
    inner join inspections
        on inspections.kode_satker = periods.kode_satker
        and year(inspections.tanggal_pemeriksaan) = periods.tahun
        and inspections.tanggal_pemeriksaan <= periods.akhir_periode
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kelompok,
        cast(count(*) as integer) as jumlah_pemeriksaan,
        cast(count(distinct id_sarana) as integer) as jumlah_sarana,
        cast(count(*) filter (where hasil = 'MK') as integer) as mk,
        cast(count(*) filter (where hasil = 'TMK') as integer) as tmk,
        cast(count(*) filter (where ada_surat_tl) as integer) as surat_tl,
        cast(count(*) filter (where ada_surat_tl and jenis_tl = 'Pembinaan') as integer) as tl_pembinaan,
        cast(count(*) filter (where ada_surat_tl and jenis_tl = 'Peringatan') as integer) as tl_peringatan,
        cast(count(*) filter (where ada_surat_tl and jenis_tl = 'Peringatan Keras') as integer)
            as tl_peringatan_keras,
        cast(count(*) filter (where ada_surat_tl and jenis_tl = 'Rekomendasi PSK') as integer)
            as tl_rekomendasi_psk,
        cast(count(*) filter (where ada_surat_tl and jenis_tl = 'Pencabutan Izin') as integer)
            as tl_pencabutan_izin,
    from as_of
    group by all
)

select * from final
