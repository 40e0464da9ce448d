with

periods as (
    select * from run_periods
),

lines as (
    select * from int_anggaran_lines
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

final as (
    select
        per_ro.kode_satker,
        per_ro.tahun,
        per_ro.bulan,
        per_ro.kode_ro,
        coalesce(ro_rows.uraian, per_ro.kode_ro) as uraian,
        per_ro.pagu,
        per_ro.realisasi,
        per_ro.urutan,
    from per_ro
    left join ro_rows using (kode_satker, tahun, bulan, kode_ro)
)

select * from final
