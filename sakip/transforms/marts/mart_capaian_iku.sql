with

capaian as (
    select * from int_capaian_iku
),

bands as (
    select * from int_profil_pita
),

from_sipt as (
    select * from int_iku_sipt
),

profil as (
    select * from int_profil
),

labelled as (
    select
        capaian.*,
        kriteria.label as kriteria,
        status.label as status_tahunan,
        from_sipt.realisasi_sipt,
        abs(from_sipt.realisasi_sipt - capaian.realisasi) > profil.toleransi_sipt as selisih_sipt,
        profil.tahun_profil,
        profil.tidak_diketahui,
    from capaian
    left join from_sipt
        on from_sipt.kode_satker = capaian.kode_satker
        and from_sipt.tahun = capaian.tahun
        and from_sipt.bulan = capaian.bulan
        and from_sipt.kode_iku = capaian.kode_iku
    left join profil
        on profil.tahun = capaian.tahun
    left join bands as kriteria
        on band_holds(kriteria, 'kriteria', capaian.tahun, capaian.capaian)
    left join bands as status
        -- `status` is the joined band's row, passed whole to the macro, not a column
        on band_holds(status, 'status_tahunan', capaian.tahun, capaian.capaian_tahunan)  -- noqa: RF02
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_ss,
        sasaran,
        kode_iku,
        indikator,
        satuan,
        polaritas,
        target,
        realisasi,
        capaian,
        nilai_akhir,
        dinormalisasi as normalisasi,
        kriteria,
        diukur,
        target_pk as target_tahunan,
        capaian_tahunan,
        status_tahunan,
        realisasi_sipt,
        selisih_sipt,
        revisi as revisi_target,
        tanggal_berlaku as target_berlaku_sejak,
        keterangan,
        cast(urutan as integer) as urutan,
        case
            when tidak_diketahui is not null then 'profil ' || tahun_profil || ' belum memuat: ' || tidak_diketahui
        end as profil_tidak_lengkap,
    from labelled
)

select * from final
