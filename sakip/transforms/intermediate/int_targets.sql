with

periods as (
    select * from run_periods
),

versions as (
    select * from int_rapk_versions
),

candidates as (
    select
        periods.bulan,
        periods.akhir_periode,
        versions.*,
    from periods
    inner join versions
        on versions.kode_satker = periods.kode_satker
        and versions.tahun = periods.tahun
),

in_effect as (
    select * from candidates
    qualify row_number() over (
        partition by kode_satker, tahun, bulan, kode_iku
        order by (tanggal_berlaku <= akhir_periode) desc, tanggal_berlaku desc, revisi desc
    ) = 1
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_ss,
        sasaran,
        kode_iku,
        indikator,
        satuan,
        polaritas,
        target_pk,
        case
            when tanggal_berlaku <= akhir_periode
                then [b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12][bulan]
        end as target,  -- the published column's name -- noqa: RF04
        revisi,
        tanggal_berlaku,
        baris as urutan,
    from in_effect
)

select * from final
