-- Each indicator's capaian with its weight in the NPS and the NKO: ref.bobot_iku, 1 when not listed (the
-- equal-weight means of methodology §4 and §5; the Settama method weights IKU twice).
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
