with

source as (
    select * from audit.files
),

renamed as (
    select
        sha256,
        run_seq,
        nama_file,
        jenis,
        kode_satker,
        tahun,
        bulan,
        tanggal_ekspor,
        mtime,
        status,
        diterima_pada,
    from source
),

final as (
    select * from renamed
)

select * from final
