with

pok as (
    select * from stg_sakti__pok
),

files as (
    select * from int_files_current
    where jenis = 'sakti_pok' and is_current_for_period
),

leaves as (
    select
        files.kode_satker,
        files.tahun,
        pok.*,
    from pok
    inner join files using (sha256)
    where pok.is_akun
),

final as (
    select
        kode_satker,
        tahun,
        kode_ro,
        sum(pagu_dipa) as pagu_dipa,
        sum(blokir) as blokir,
    from leaves
    group by all
)

select * from final
