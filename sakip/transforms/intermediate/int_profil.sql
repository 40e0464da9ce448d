-- The methodology profile that applies to each year being computed: the profile of that year, else the
-- latest earlier one (bands change rarely; a new year without its own profile keeps the last one).
with

periods as (
    select distinct tahun from run_periods
),

parameters as (
    select * from ref.profil_parameter
),

chosen as (
    select
        periods.tahun,
        max(parameters.tahun) as tahun_profil,
    from periods
    left join parameters
        on parameters.tahun <= periods.tahun
    group by periods.tahun
),

final as (
    select
        chosen.tahun,
        chosen.tahun_profil,
        max(parameters.nilai) filter (where parameters.parameter = 'batas_normalisasi') as batas_normalisasi,
        max(parameters.nilai) filter (where parameters.parameter = 'standar_efisiensi') as standar_efisiensi,
    from chosen
    left join parameters
        on parameters.tahun = chosen.tahun_profil
    group by chosen.tahun, chosen.tahun_profil
)

select * from final
