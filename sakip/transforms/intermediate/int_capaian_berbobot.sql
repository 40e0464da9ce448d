with

capaian as (
    select * from int_capaian_iku
),

weights as (
    select * from ref.bobot_iku
),

final as (
    select
        capaian.*,
        coalesce(weights.bobot, 1) as bobot,
    from capaian
    left join weights
        on weights.tahun = capaian.tahun
        and weights.kode_satker = capaian.kode_satker
        and weights.kode_iku = capaian.kode_iku
)

select * from final
