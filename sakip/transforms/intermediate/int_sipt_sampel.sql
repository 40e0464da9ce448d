-- SIPT exports are cumulative for the year: each record is taken from the newest export that holds it, so
-- that a later export updates it (an LHU that arrived, a report filed late) and earlier ones fill the rest.
with

records as (
    select * from stg_sipt__sampel
),

files as (
    select * from int_files_current
    where jenis = 'sipt_sampel' and is_current_for_period
),

joined as (
    select
        records.*,
        -- newer: a later export year, then a later file of that year, then a later row (sha256 only makes
        -- the order total)
        (files.tahun, files.recency, records.baris, records.sha256) as newer,
    from records
    inner join files using (sha256)
),

-- the newest version of each record, found by aggregate and join: a window over every row of every
-- export costs three times as much at national scale (the exports are cumulative)
newest as (
    select
        kode_satker,
        kode_sampel,
        max(newer) as newer,
    from joined
    group by all
),

latest as (
    select joined.*
    from joined
    inner join newest using (kode_satker, kode_sampel, newer)
),

final as (
    select * exclude (newer) from latest
)

select * from final
