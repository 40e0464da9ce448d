with

source as (
    select * from raw.sakti_capaian_output
),

renamed as (
    select
        sha256,
        _row as baris,
        kode_satker,
        tahun,
        kode_ro,
        uraian_ro,
        satuan,
        target_volume,
        realisasi_volume,
        progres_capaian as persen_capaian_output,
        bulan,
    from source
),

final as (
    select * from renamed
)

select * from final
