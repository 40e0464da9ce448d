with

periods as (
    select * from run_periods
),

lines as (
    select * from int_anggaran_lines
    where is_akun
),

budget_map as (
    select * from ref.anggaran_kelompok
),

per_komponen as (
    select
        lines.kode_satker,
        lines.tahun,
        lines.bulan,
        lines.kode_ro,
        lines.komponen,
        sum(lines.pagu) as pagu,
    from lines
    inner join periods using (kode_satker, tahun, bulan)
    group by all
),

final as (
    select per_komponen.*
    from per_komponen
    anti join budget_map
        on budget_map.kode_satker = per_komponen.kode_satker
        and budget_map.tahun = per_komponen.tahun
        and budget_map.kode_ro = per_komponen.kode_ro
        and (budget_map.komponen is null or budget_map.komponen = per_komponen.komponen)
    where per_komponen.pagu > 0
)

select * from final
