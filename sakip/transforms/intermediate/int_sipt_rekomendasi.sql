with

records as (
    select * from stg_sipt__rekomendasi
),

files as (
    select * from int_files_current
    where jenis = 'sipt_rekomendasi' and is_current_for_period
),

joined as (  -- read by name by the table macro newest_version below -- noqa: ST03
    select
        records.*,
        version_order(files.tahun, files.recency, records.baris) as newer,
    from records
    inner join files using (sha256)
),

final as (
    select * from newest_version(joined, nomor_surat)
)

select * from final
