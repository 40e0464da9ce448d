with

rapk as (
    select * from stg_simetris__rapk
),

files as (
    select * from int_files_current
),

joined as (
    select
        rapk.*,
        files.recency,
    from rapk
    inner join files using (sha256)
),

deduplicated as (
    select * from joined
    qualify row_number() over (
        partition by kode_satker, tahun, kode_iku, revisi
        order by recency desc, baris asc
    ) = 1
),

final as (
    select * exclude (recency) from deduplicated
)

select * from final
