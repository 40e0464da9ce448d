with

periods as (
    select * from run_periods
),

lines as (
    select * from int_anggaran_lines
),

report_order as (
    select * from ref.urutan_laporan
    where jenis = 'ro'
),

leaves as (
    select lines.*
    from lines
    inner join periods using (kode_satker, tahun, bulan)
    where lines.is_akun
),

ro_rows as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_ro,
        min(uraian) as uraian,
    from lines
    where kro_ro is not null and komponen is null and akun is null
    group by all
),

per_ro as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_ro,
        sum(pagu) as pagu,
        sum(realisasi) as realisasi,
        min(baris) as urutan,
    from leaves
    group by all
),

-- the report's order of the ROs where the unit's reference data gives it (the DIPA's order, as its Laporan
-- Kinerja lists them), else the export's (SAKTI lists them by code)
final as (
    select
        per_ro.kode_satker,
        per_ro.tahun,
        per_ro.bulan,
        per_ro.kode_ro,
        coalesce(ro_rows.uraian, per_ro.kode_ro) as uraian,
        per_ro.pagu,
        per_ro.realisasi,
        row_number() over (
            partition by per_ro.kode_satker, per_ro.tahun, per_ro.bulan
            order by report_order.urutan nulls last, per_ro.urutan, per_ro.kode_ro
        ) as urutan,
    from per_ro
    left join ro_rows using (kode_satker, tahun, bulan, kode_ro)
    left join report_order
        on report_order.kode_satker = per_ro.kode_satker
        and report_order.tahun = per_ro.tahun
        and report_order.kode = per_ro.kode_ro
)

select * from final
