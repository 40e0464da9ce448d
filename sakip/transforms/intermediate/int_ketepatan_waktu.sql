with

periods as (
    select * from run_periods
),

rules as (
    select * from ref.aturan_waktu
),

items as (
    select * from int_sipt_items
),

events as (
    select * from int_sipt_peristiwa
),

calendar as (
    select * from ref.kalender
),

started as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        periods.akhir_periode,
        rules.kode as jenis_waktu,
        rules.batas,
        rules.satuan,
        items.sumber,
        items.kode_item,
        items.kelompok,
        items.laboratorium,
        start_event.tanggal as tanggal_mulai,
        case when end_event.tanggal <= periods.akhir_periode then end_event.tanggal end as tanggal_selesai,
    from periods
    cross join rules
    inner join items
        on items.sumber = rules.sumber
        and items.kode_satker = periods.kode_satker
    inner join events as start_event
        on start_event.sumber = items.sumber
        and start_event.kode_item = items.kode_item
        and start_event.kode_satker = items.kode_satker
        and start_event.peristiwa = rules.mulai
    left join events as end_event
        on end_event.sumber = items.sumber
        and end_event.kode_item = items.kode_item
        and end_event.kode_satker = items.kode_satker
        and end_event.peristiwa = rules.selesai
    where
        year(start_event.tanggal) = periods.tahun
        and start_event.tanggal <= periods.akhir_periode
        and (rules.syarat_atribut is null or items.atribut[rules.syarat_atribut] = rules.syarat_nilai)
),

measured as (
    select
        started.*,
        case started.satuan
            when 'HK' then end_day.hk_kumulatif - start_day.hk_kumulatif
            else date_diff('day', started.tanggal_mulai, coalesce(started.tanggal_selesai, started.akhir_periode))
        end as durasi,
    from started
    inner join calendar as start_day
        on start_day.tanggal = started.tanggal_mulai
    inner join calendar as end_day
        on end_day.tanggal = coalesce(started.tanggal_selesai, started.akhir_periode)
),

final as (
    select
        *,
        greatest(durasi - batas, 0) as terlambat,
        case
            when tanggal_selesai is not null and durasi <= batas then 'tepat_waktu'
            when tanggal_selesai is not null then 'terlambat'
            when durasi > batas then 'lewat_batas'
            else 'dalam_proses'
        end as status,
    from measured
)

select * from final
