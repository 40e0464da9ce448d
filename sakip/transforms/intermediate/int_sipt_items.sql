with

sampel as (
    select * from int_sipt_sampel
),

pemeriksaan as (
    select * from int_sipt_pemeriksaan
),

rekomendasi as (
    select * from int_sipt_rekomendasi
),

final as (
    select
        'sipt_sampel' as sumber,
        kode_satker,
        kode_sampel as kode_item,
        komoditi as kelompok,
        laboratorium,
        -- sqlfluff's DuckDB dialect cannot parse a `::` cast of a map literal (so cannot see the alias either)
        map {}::map(varchar, varchar) as atribut,  -- noqa: PRS, AL03
    from sampel
    union all
    select
        'sipt_pemeriksaan' as sumber,
        kode_satker,
        id_pemeriksaan as kode_item,
        kelompok,
        null as laboratorium,
        map {
            'capa_diminta': coalesce(capa_diminta, ''),
            'hasil': hasil,
            -- a follow-up letter is due after a TMK finding, or wherever one was issued
            'perlu_tl': case when hasil = 'TMK' or nomor_surat_tl is not null then 'Ya' else 'Tidak' end,
        } as atribut,
    from pemeriksaan
    union all
    select
        'sipt_rekomendasi' as sumber,
        kode_satker,
        nomor_surat as kode_item,
        jenis_penerima as kelompok,
        null as laboratorium,
        map {'dasar': dasar} as atribut,
    from rekomendasi
)

select * from final
