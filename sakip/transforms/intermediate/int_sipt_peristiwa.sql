with

sampel as (
    select * from int_sipt_sampel
),

pemeriksaan as (
    select * from int_sipt_pemeriksaan
),

rekomendasi as (
    select * from int_sipt_rekomendasi
),

sampel_events as (
    unpivot (
        select
            kode_satker,
            kode_sampel as kode_item,
            tanggal_sampling,
            tanggal_terima_lab,
            tanggal_lhu,
            tanggal_tindak_lanjut,
        from sampel
    )
    on tanggal_sampling, tanggal_terima_lab, tanggal_lhu, tanggal_tindak_lanjut
    into name peristiwa value tanggal
),

pemeriksaan_events as (
    unpivot (
        select
            kode_satker,
            id_pemeriksaan as kode_item,
            tanggal_pemeriksaan,
            tanggal_laporan,
            tanggal_surat_tl,
            tanggal_capa_diterima,
        from pemeriksaan
    )
    on tanggal_pemeriksaan, tanggal_laporan, tanggal_surat_tl, tanggal_capa_diterima
    into name peristiwa value tanggal
),

rekomendasi_events as (
    unpivot (
        select
            kode_satker,
            nomor_surat as kode_item,
            tanggal_surat,
            tanggal_feedback,
        from rekomendasi
    )
    on tanggal_surat, tanggal_feedback
    into name peristiwa value tanggal
),

final as (
    select
        'sipt_sampel' as sumber,
        *,
    from sampel_events
    union all
    select
        'sipt_pemeriksaan' as sumber,
        *,
    from pemeriksaan_events
    union all
    select
        'sipt_rekomendasi' as sumber,
        *,
    from rekomendasi_events
)

select * from final
