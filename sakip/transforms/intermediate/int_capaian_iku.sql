with

targets as (
    select * from int_targets
),

realisasi as (
    select * from int_realisasi
),

profil as (
    select * from int_profil
),

yearly_flags as (
    select * from ref.iku_tahunan
),

joined as (
    select
        targets.*,
        realisasi.realisasi,
        realisasi.keterangan,
        profil.batas_normalisasi,
        coalesce(yearly_flags.bandingkan_tahunan, true) as bandingkan_tahunan,
    from targets
    left join realisasi
        on realisasi.kode_satker = targets.kode_satker
        and realisasi.tahun = targets.tahun
        and realisasi.kode_iku = targets.kode_iku
        and realisasi.bulan = targets.bulan
    left join profil
        on profil.tahun = targets.tahun
    left join yearly_flags
        on yearly_flags.kode_satker = targets.kode_satker
        and yearly_flags.tahun = targets.tahun
        and yearly_flags.kode_iku = targets.kode_iku
),

computed as (
    select
        *,
        capaian_of(realisasi, target, polaritas) as capaian,
    from joined
),

final as (
    select
        * exclude (batas_normalisasi, bandingkan_tahunan),
        capaian is not null as diukur,
        -- no cap known (a partial profile): no nilai akhir, rather than an uncapped one
        case
            when capaian is not null and batas_normalisasi is not null then least(capaian, batas_normalisasi)
        end as nilai_akhir,
        round(capaian, 2) > batas_normalisasi as dinormalisasi,
        case
            when capaian is not null and bandingkan_tahunan then capaian_of(realisasi, target_pk, polaritas)
        end as capaian_tahunan,
    from computed
)

select * from final
