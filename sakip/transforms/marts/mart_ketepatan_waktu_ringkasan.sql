with

items as (
    select * from mart_ketepatan_waktu
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        jenis_waktu,
        kelompok,
        cast(count(*) as integer) as jumlah,
        cast(count(*) filter (where status = 'tepat_waktu') as integer) as tepat_waktu,
        cast(count(*) filter (where status = 'terlambat') as integer) as terlambat,
        cast(count(*) filter (where status = 'dalam_proses') as integer) as dalam_proses,
        cast(count(*) filter (where status = 'lewat_batas') as integer) as lewat_batas,
        median(durasi) filter (where tanggal_selesai is not null) as median_durasi,
        quantile_cont(durasi, 0.9) filter (where tanggal_selesai is not null) as p90_durasi,
        min(satuan) as satuan,
    from items
    group by all
)

select * from final
