with

source as (
    select * from raw.sakti_realisasi
),

renamed as (
    select
        sha256,
        _row as baris,
        program_kegiatan,
        kro_ro,
        program_kegiatan || '.' || kro_ro as kode_ro,
        komponen,
        sub_komponen,
        akun,
        akun is not null as is_akun,
        uraian,
        cast(pagu_revisi as decimal(18, 2)) as pagu,
        cast(lock_pagu as decimal(18, 2)) as lock_pagu,
        cast(realisasi_sd_periode as decimal(18, 2)) as realisasi,
        cast(sisa as decimal(18, 2)) as sisa,
    from source
),

final as (
    select * from renamed
)

select * from final
