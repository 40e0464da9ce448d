with

source as (
    select * from published_capaian_iku
),

renamed as (
    select
        kode_satker,
        cast(tahun as integer) as tahun,
        cast(bulan as integer) as bulan,
        kode_iku,
        cast(realisasi as double) as realisasi,
        cast(capaian as double) as capaian,
    from source
),

final as (
    select * from renamed
)

select * from final
