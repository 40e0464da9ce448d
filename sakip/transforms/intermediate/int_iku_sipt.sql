with

components as (
    select * from int_iku_sipt_komponen
),

weights as (
    select * from ref.profil_komponen_sipt
),

profil as (
    select * from int_profil
),

weighted as (
    select
        components.*,
        weights.bobot,
    from components
    inner join profil
        on profil.tahun = components.tahun
    inner join weights
        on weights.tahun = profil.tahun_profil
        and weights.jenis = components.jenis
        and weights.komponen = components.komponen
    where components.persen is not null
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        -- DOUBLE sums in a fixed order, so that a re-run gives the same bits
        sum(persen * bobot order by jenis, komponen) / nullif(sum(bobot order by jenis, komponen), 0)
            as realisasi_sipt,
        cast(count(*) as integer) as jumlah_komponen,
    from weighted
    group by all
)

select * from final
