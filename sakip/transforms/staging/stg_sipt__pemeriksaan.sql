with

source as (
    select * from raw.sipt_pemeriksaan
),

renamed as (
    select
        sha256,
        _row as baris,
        kode_satker,
        id_pemeriksaan,
        id_sarana,
        nama_sarana,
        jenis_sarana,
        kelompok,
        kabupaten_kota,
        tanggal_pemeriksaan,
        hasil,
        tanggal_laporan,
        nomor_surat_tl,
        tanggal_surat_tl,
        jenis_tl,
        capa_diminta,
        tanggal_capa_diterima,
    from source
),

final as (
    select * from renamed
)

select * from final
