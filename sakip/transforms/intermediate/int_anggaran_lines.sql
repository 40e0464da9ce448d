-- The lines (leaves and subtotals) of the GLP039 export that is current for each satker and period.
with

lines as (
    select * from stg_sakti__realisasi_anggaran
),

files as (
    select * from int_files_current
    where jenis = 'sakti_realisasi' and is_current_for_period
),

final as (
    select
        files.kode_satker,
        files.tahun,
        files.bulan,
        lines.*,
    from lines
    inner join files using (sha256)
)

select * from final
