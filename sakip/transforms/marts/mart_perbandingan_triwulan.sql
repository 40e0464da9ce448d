with

capaian as (
    select * from int_capaian_iku
),

quarters as (
    select * from int_capaian_triwulan
),

refreshed as (
    select * from stg_published__perbandingan_triwulan
),

computed_quarter as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_ss,
        kode_iku,
        indikator,
        satuan,
        realisasi,
        capaian,
        urutan,
    from capaian
    where bulan % 3 = 0
),

-- a later quarter compared again with a quarter this run changed: its own figures stay as published
this_quarter as (
    select * from computed_quarter
    union all by name
    select * from refreshed
),

known_quarters as (
    select distinct
        kode_satker,
        tahun,
        bulan,
    from quarters
),

compared as (
    select
        this_quarter.kode_satker,
        this_quarter.tahun,
        this_quarter.bulan,
        this_quarter.kode_ss,
        this_quarter.kode_iku,
        this_quarter.indikator,
        this_quarter.satuan,
        this_quarter.realisasi,
        this_quarter.capaian,
        previous.realisasi as realisasi_triwulan_lalu,
        previous.capaian as capaian_triwulan_lalu,
        year_before.realisasi as realisasi_tahun_lalu,
        year_before.capaian as capaian_tahun_lalu,
        known_previous.bulan is not null as triwulan_lalu_terbit,
        known_year_before.bulan is not null as tahun_lalu_terbit,
        this_quarter.urutan,
    from this_quarter
    left join quarters as previous
        on previous.kode_satker = this_quarter.kode_satker
        and previous.tahun = this_quarter.tahun
        and previous.bulan = this_quarter.bulan - 3
        and previous.kode_iku = this_quarter.kode_iku
    left join quarters as year_before
        on year_before.kode_satker = this_quarter.kode_satker
        and year_before.tahun = this_quarter.tahun - 1
        and year_before.bulan = this_quarter.bulan
        and year_before.kode_iku = this_quarter.kode_iku
    left join known_quarters as known_previous
        on known_previous.kode_satker = this_quarter.kode_satker
        and known_previous.tahun = this_quarter.tahun
        and known_previous.bulan = this_quarter.bulan - 3
    left join known_quarters as known_year_before
        on known_year_before.kode_satker = this_quarter.kode_satker
        and known_year_before.tahun = this_quarter.tahun - 1
        and known_year_before.bulan = this_quarter.bulan
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        cast(bulan // 3 as integer) as triwulan,
        kode_ss,
        kode_iku,
        indikator,
        satuan,
        realisasi,
        capaian,
        realisasi_triwulan_lalu,
        capaian_triwulan_lalu,
        arah(capaian, capaian_triwulan_lalu) as arah_triwulan_lalu,
        triwulan_lalu_terbit,
        realisasi_tahun_lalu,
        capaian_tahun_lalu,
        arah(capaian, capaian_tahun_lalu) as arah_tahun_lalu,
        tahun_lalu_terbit,
        cast(urutan as integer) as urutan,
    from compared
)

select * from final
