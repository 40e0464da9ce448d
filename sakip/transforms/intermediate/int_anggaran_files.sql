with

files as (
    select * from int_files_current
    where jenis = 'sakti_realisasi' and is_current_for_period
),

final as (
    select * from files
)

select * from final
