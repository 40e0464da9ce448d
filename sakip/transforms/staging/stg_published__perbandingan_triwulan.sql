with

source as (
    select * from published_perbandingan_triwulan
),

renamed as (
    select
        kode_satker,
        cast(tahun as integer) as tahun,
        cast(bulan as integer) as bulan,
        kode_ss,
        kode_iku,
        indikator,
        satuan,
        cast(realisasi as double) as realisasi,
        cast(capaian as double) as capaian,
        cast(urutan as integer) as urutan,
    from source
),

final as (
    select * from renamed
)

select * from final
