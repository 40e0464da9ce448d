-- The realisasi and capaian of each indicator at each quarter's end that a quarter of this run is compared
-- with: computed by this run when it computes that period, else as published (a period this run does not
-- compute keeps the figures analysts have seen).
with

capaian as (
    select * from int_capaian_iku
),

published as (
    select * from stg_published__capaian_iku
),

this_run as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        realisasi,
        capaian,
    from capaian
    where bulan % 3 = 0
),

computed_periods as (
    select distinct
        kode_satker,
        tahun,
        bulan,
    from capaian
),

earlier as (
    select published.*
    from published
    anti join computed_periods
        on computed_periods.kode_satker = published.kode_satker
        and computed_periods.tahun = published.tahun
        and computed_periods.bulan = published.bulan
    where published.bulan % 3 = 0
),

final as (
    select * from this_run
    union all by name
    select * from earlier
)

select * from final
