with

timeline as (
    select * from int_ketepatan_waktu
    where jenis_waktu = 'pengujian'
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_item as kode_sampel,
        kelompok as komoditi,
        laboratorium,
        tanggal_mulai as tanggal_terima_lab,
        tanggal_selesai as tanggal_lhu,
        cast(durasi as integer) as hari_kerja,
        cast(batas as integer) as batas_hari_kerja,
        cast(terlambat as integer) as terlambat_hari_kerja,
        status,
    from timeline
)

select * from final
