with

source as (
    select * from raw.simetris_rapk
),

renamed as (
    select
        sha256,
        _row as baris,
        kode_satker,
        tahun,
        kode_ss,
        sasaran,
        kode_iku,
        indikator,
        satuan,
        lower(trim(polaritas)) as polaritas,
        target_pk,
        b01,
        b02,
        b03,
        b04,
        b05,
        b06,
        b07,
        b08,
        b09,
        b10,
        b11,
        b12,
        anggaran,
        revisi,
        tanggal_berlaku,
    from source
),

final as (
    select * from renamed
)

select * from final
