with

source as (
    select * from raw.sipt_sampel
),

renamed as (
    select
        sha256,
        _row as baris,
        kode_satker,
        kode_sampel,
        nama_sampel,
        komoditi,
        kategori_sampel,
        nomor_registrasi,
        tanggal_sampling,
        tempat_sampling,
        kabupaten_kota,
        laboratorium,
        tanggal_terima_lab,
        tanggal_lhu,
        hasil_uji,
        kesimpulan_label,
        tindak_lanjut,
        tanggal_tindak_lanjut,
    from source
),

final as (
    select * from renamed
)

select * from final
