with

source as (
    select * from raw.sakti_pok
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
        cast(jumlah * 1000 as decimal(18, 2)) as pagu_dipa,
        -- an empty Blokir cell means none (data contract: "-" or empty means none)
        cast(coalesce(blokir, 0) * 1000 as decimal(18, 2)) as blokir,
        [januari, februari, maret, april, mei, juni, juli, agustus, september, oktober, november, desember]
            as rpd_ribuan,
    from source
),

final as (
    select * from renamed
)

select * from final
