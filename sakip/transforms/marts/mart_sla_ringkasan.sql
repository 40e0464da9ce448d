with

samples as (
    select * from mart_sla_pengujian
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        komoditi,
        laboratorium,
        cast(count(*) as integer) as jumlah_sampel,
        cast(count(*) filter (where status = 'tepat_waktu') as integer) as tepat_waktu,
        cast(count(*) filter (where status = 'terlambat') as integer) as terlambat,
        cast(count(*) filter (where status = 'dalam_proses') as integer) as dalam_proses,
        cast(count(*) filter (where status = 'lewat_batas') as integer) as lewat_batas,
        median(hari_kerja) filter (where tanggal_lhu is not null) as median_hari_kerja,
        quantile_cont(hari_kerja, 0.9) filter (where tanggal_lhu is not null) as p90_hari_kerja,
    from samples
    group by all
)

select * from final
