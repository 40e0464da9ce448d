with

ro as (
    select * from int_anggaran_ro
),

output as (
    select * from int_capaian_output
),

profil as (
    select * from int_profil
),

bands as (
    select * from int_profil_pita
),

joined as (
    select
        ro.kode_satker,
        ro.tahun,
        ro.bulan,
        ro.kode_ro,
        ro.uraian,
        output.persen_capaian_output,
        pct(cast(ro.realisasi as double), cast(ro.pagu as double)) as persen_realisasi_anggaran,
        profil.standar_efisiensi,
        ro.urutan,
    from ro
    left join output using (kode_satker, tahun, bulan, kode_ro)
    left join profil using (tahun)
),

computed as (
    select
        *,
        case
            when persen_capaian_output > 0 and persen_realisasi_anggaran > 0
                then persen_capaian_output / persen_realisasi_anggaran
        end as ie,
    from joined
),

with_te as (
    select
        *,
        (ie - standar_efisiensi) / nullif(standar_efisiensi, 0) as te,
    from computed
),

final as (
    select
        with_te.kode_satker,
        with_te.tahun,
        with_te.bulan,
        with_te.kode_ro,
        with_te.uraian,
        with_te.persen_capaian_output,
        with_te.persen_realisasi_anggaran,
        with_te.ie,
        with_te.te,
        band.label as kategori,
        band.nilai as nilai_efisiensi,
        cast(with_te.urutan as integer) as urutan,
    from with_te
    left join bands as band
        -- `band` is the joined band's row, passed whole to the macro, not a column
        on band_holds(band, 'efisiensi', with_te.tahun, with_te.te)  -- noqa: RF02
)

select * from final
