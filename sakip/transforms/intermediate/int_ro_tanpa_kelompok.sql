-- ROs with budget that the budget → IKU map does not name: still published everywhere else, reported as
-- unmapped in the run summary (data contract §6), never refused.
with

ro as (
    select * from int_anggaran_ro
),

budget_map as (
    select * from ref.anggaran_kelompok
),

final as (
    select ro.*
    from ro
    anti join budget_map
        on budget_map.kode_satker = ro.kode_satker
        and budget_map.tahun = ro.tahun
        and budget_map.kode_ro = ro.kode_ro
    where ro.pagu > 0
)

select * from final
