-- The methodology profile that applies to each year being computed: the profile of that year, else the
-- latest earlier one (bands change rarely; a new year without its own profile keeps the last one).
with

periods as (
    select * from run_periods
),

years as (
    select distinct tahun from periods
),

parameters as (
    select * from ref.profil_parameter
),

chosen as (
    select
        years.tahun,
        max(parameters.tahun) as tahun_profil,
    from years
    left join parameters
        on parameters.tahun <= years.tahun
    group by years.tahun
),

final as (
    select
        chosen.tahun,
        chosen.tahun_profil,
        max(parameters.nilai) filter (where parameters.parameter = 'batas_normalisasi') as batas_normalisasi,
        max(parameters.nilai) filter (where parameters.parameter = 'standar_efisiensi') as standar_efisiensi,
        max(parameters.nilai) filter (where parameters.parameter = 'toleransi_sipt') as toleransi_sipt,
    from chosen
    left join parameters
        on parameters.tahun = chosen.tahun_profil
    group by chosen.tahun, chosen.tahun_profil
)

select * from final
