with

files as (
    select * from stg_pipeline__files
),

periods as (
    select * from run_periods
),

accepted as (  -- of the satker-years the run computes: a run's cost must not grow with the years before it
    select
        files.*,
        coalesce(files.tanggal_ekspor, cast(files.diterima_pada as date)) as newer,
    from files
    semi join periods
        on periods.kode_satker = files.kode_satker
        and periods.tahun = files.tahun
    where files.status = 'accepted'
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
