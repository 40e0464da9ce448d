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

final as (
    select
        components.kode_satker,
        components.tahun,
        components.bulan,
        components.kode_iku,
        components.jenis,
        components.komponen,
        weights.keterangan,
        components.pembilang,
        components.penyebut,
        components.persen,
        weights.bobot,
    from components
    inner join profil
        on profil.tahun = components.tahun
    left join weights
        on weights.tahun = profil.tahun_profil
        and weights.jenis = components.jenis
        and weights.komponen = components.komponen
)

select * from final
