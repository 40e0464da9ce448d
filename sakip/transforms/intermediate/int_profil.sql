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

bands as (
    select * from ref.profil_pita
),

values_of as (
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
),

-- A profile may be partial (public sources give 2021's kriteria bands, not its cap or predikat): a parameter
-- listed without a value, or a scale without bands, is not known. What depends on it is NULL, never guessed,
-- and this says why.
scales as (
    select unnest(['kriteria', 'predikat', 'status_tahunan', 'efisiensi']) as skala
),

missing_scales as (
    select
        values_of.tahun,
        list(scales.skala order by scales.skala) as skala,
    from values_of
    cross join scales
    where
        not exists (
            select 1 from bands
            where bands.tahun = values_of.tahun_profil and bands.skala = scales.skala
        )
    group by values_of.tahun
),

final as (
    select
        values_of.*,
        nullif(
            concat_ws(
                ', ',
                case when values_of.batas_normalisasi is null then 'batas_normalisasi' end,
                case when values_of.standar_efisiensi is null then 'standar_efisiensi' end,
                case when values_of.toleransi_sipt is null then 'toleransi_sipt' end,
                array_to_string(missing_scales.skala, ', ')
            ),
            ''
        ) as tidak_diketahui,
    from values_of
    left join missing_scales
        on missing_scales.tahun = values_of.tahun
)

select * from final
