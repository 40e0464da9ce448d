with

timeline as (
    select * from int_ketepatan_waktu
    where jenis_waktu <> 'pengujian'
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        jenis_waktu,
        kode_item,
        kelompok,
        tanggal_mulai,
        tanggal_selesai,
        cast(durasi as integer) as durasi,
        satuan,
        cast(batas as integer) as batas,
        cast(terlambat as integer) as terlambat,
        status,
    from timeline
)

select * from final
