with

periods as (
    select * from run_periods
),

budget_map as (
    select * from ref.anggaran_kelompok
),

lines as (
    select * from int_anggaran_lines
    where is_akun
),

mapped as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        budget_map.kelompok,
        lines.pagu * budget_map.porsi as pagu,
        lines.realisasi * budget_map.porsi as realisasi,
    from periods
    inner join budget_map
        on budget_map.kode_satker = periods.kode_satker
        and budget_map.tahun = periods.tahun
    inner join lines
        on lines.kode_satker = periods.kode_satker
        and lines.tahun = periods.tahun
        and lines.bulan = periods.bulan
        and lines.kode_ro = budget_map.kode_ro
        and (budget_map.komponen is null or lines.komponen = budget_map.komponen)
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kelompok,
        cast(sum(pagu) as decimal(18, 2)) as pagu,
        cast(sum(realisasi) as decimal(18, 2)) as realisasi,
    from mapped
    group by all
)

select * from final
