with

lines as (
    select * from stg_sakti__realisasi_anggaran
),

periods as (
    select * from run_periods
),

files as (
    select int_anggaran_files.*
    from int_anggaran_files
    inner join periods using (kode_satker, tahun, bulan)
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
