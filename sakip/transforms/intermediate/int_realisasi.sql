with

realisasi as (
    select * from stg_simetris__realisasi
),

files as (
    select * from int_files_current
    where is_current_for_period
),

joined as (
    select
        realisasi.*,
        files.recency,
    from realisasi
    inner join files using (sha256)
),

latest as (
    select * from joined
    qualify row_number() over (
        partition by kode_satker, tahun, kode_iku, bulan
        order by recency desc, baris desc
    ) = 1
),

final as (
    select
        kode_satker,
        tahun,
        kode_iku,
        bulan,
        realisasi,
        keterangan,
    from latest
)

select * from final
