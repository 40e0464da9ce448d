with

source as (
    select * from raw.sipt_rekomendasi
),

renamed as (
    select
        sha256,
        _row as baris,
        kode_satker,
        nomor_surat,
        tanggal_surat,
        jenis_penerima,
        penerima,
        dasar,
        tanggal_feedback,
    from source
),

final as (
    select * from renamed
)

select * from final
