with

files as (
    select * from stg_pipeline__files
),

accepted as (
    select
        *,
        coalesce(tanggal_ekspor, cast(diterima_pada as date)) as newer,
    from files
    where status = 'accepted'
),

ranked as (
    select
        *,
        row_number() over (
            partition by jenis, kode_satker, tahun, bulan
            order by newer desc, run_seq desc, mtime desc
        ) = 1 as is_current_for_period,
        row_number() over (
            partition by jenis, kode_satker, tahun
            order by newer asc, run_seq asc, mtime asc
        ) as recency,
    from accepted
),

final as (
    select * exclude (newer) from ranked
)

select * from final
