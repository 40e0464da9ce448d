with

output_rows as (
    select * from stg_sakti__capaian_output
),

files as (
    select * from int_files_current
    where is_current_for_period
),

periods as (
    select * from run_periods
),

joined as (
    select
        output_rows.*,
        files.recency,
    from output_rows
    inner join files using (sha256)
),

latest_per_month as (
    select * from joined
    qualify row_number() over (
        partition by kode_satker, tahun, kode_ro, bulan
        order by recency desc, baris desc
    ) = 1
),

as_of_period as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        latest_per_month.kode_ro,
        latest_per_month.uraian_ro,
        latest_per_month.persen_capaian_output,
        latest_per_month.bulan as bulan_capaian,
    from periods
    inner join latest_per_month
        on latest_per_month.kode_satker = periods.kode_satker
        and latest_per_month.tahun = periods.tahun
        and latest_per_month.bulan <= periods.bulan
    where latest_per_month.persen_capaian_output is not null
    qualify row_number() over (
        partition by periods.kode_satker, periods.tahun, periods.bulan, latest_per_month.kode_ro
        order by latest_per_month.bulan desc
    ) = 1
),

final as (
    select * from as_of_period
)

select * from final
