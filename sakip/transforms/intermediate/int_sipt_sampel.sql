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
        files.tahun as tahun_ekspor,
        files.recency,
    from records
    inner join files using (sha256)
),

latest as (
    select * from joined
    qualify row_number() over (
        partition by kode_satker, kode_sampel
        order by tahun_ekspor desc, recency desc, baris desc
    ) = 1
),

final as (
    select * exclude (recency, tahun_ekspor) from latest
)

select * from final
