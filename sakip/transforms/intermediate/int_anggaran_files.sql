with

files as (
    select * from int_files_current
    where jenis = 'sakti_realisasi' and is_current_for_period
),

periods as (
    select * from run_periods
),

final as (
    select files.*
    from files
    semi join periods
        on periods.kode_satker = files.kode_satker
        and periods.tahun = files.tahun
)

select * from final
