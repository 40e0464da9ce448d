-- Accepted files, ranked. A newer export of the same source, satker and period replaces the older one
-- (data contract §5): newer = later export date stated in the file (the day it was received when the file
-- states none), then the later run, then the later modification time.
-- `recency` orders all files of one source, satker and year, so that rows that several exports share
-- (Realisasi of B02 is in the B03 and the B06 export) are taken from the newest.
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
