with

source as (
    select * from raw.simetris_realisasi
),

renamed as (
    select
        sha256,
        _row as baris,
        kode_satker,
        tahun,
        kode_iku,
        bulan,
        realisasi,
        keterangan,
    from source
),

final as (
    select * from renamed
)

select * from final
