with

profil as (
    select * from int_profil
),

bands as (
    select * from ref.profil_pita
),

final as (
    select
        profil.tahun,
        bands.skala,
        bands.label,
        bands.bawah,
        bands.bawah_inklusif,
        bands.atas,
        bands.atas_inklusif,
        bands.nilai,
    from profil
    inner join bands
        on bands.tahun = profil.tahun_profil
)

select * from final
