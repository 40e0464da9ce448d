with

periods as (
    select * from run_periods
),

indicator_map as (
    select * from ref.iku_sipt
),

sampling_plan as (
    select * from ref.renlak_sampel
),

inspection_plan as (
    select * from ref.rencana_pemeriksaan
),

fortification as (
    select * from ref.sarana_fortifikasi
),

samples as (
    select * from int_sipt_sampel
),

inspections as (
    select * from int_sipt_pemeriksaan
),

letters as (
    select * from int_sipt_rekomendasi
),

timelines as (
    select * from int_ketepatan_waktu
),

-- one row per indicator and group it covers (a commodity, a facility group, a recipient kind)
groups as (
    select
        periods.kode_satker,
        periods.tahun,
        periods.bulan,
        periods.akhir_periode,
        indicator_map.kode_iku,
        indicator_map.jenis,
        trim(unnest(string_split(indicator_map.kelompok, ';'))) as kelompok,
    from periods
    inner join indicator_map
        on indicator_map.kode_satker = periods.kode_satker
        and indicator_map.tahun = periods.tahun
),

sample_groups as (
    select * from groups
    where jenis = 'sampel'
),

facility_groups as (
    select * from groups
    where jenis = 'sarana'
),

samples_taken as (
    select
        sample_groups.kode_satker,
        sample_groups.tahun,
        sample_groups.bulan,
        sample_groups.kode_iku,
        month(samples.tanggal_sampling) as bulan_sampling,
        count(*) as jumlah,
        count(*) filter (
            where samples.hasil_uji = 'TMS' and samples.tanggal_lhu <= sample_groups.akhir_periode
            or samples.kesimpulan_label = 'TIE'
        ) as perlu_tindak_lanjut,
        count(*) filter (
            where (
                samples.hasil_uji = 'TMS' and samples.tanggal_lhu <= sample_groups.akhir_periode
                or samples.kesimpulan_label = 'TIE'
            )
            and samples.tanggal_tindak_lanjut <= sample_groups.akhir_periode
        ) as sudah_tindak_lanjut,
    from sample_groups
    inner join samples
        on samples.kode_satker = sample_groups.kode_satker
        and samples.komoditi = sample_groups.kelompok
        and year(samples.tanggal_sampling) = sample_groups.tahun
        and samples.tanggal_sampling <= sample_groups.akhir_periode
    group by all
),

samples_planned as (
    select
        sample_groups.kode_satker,
        sample_groups.tahun,
        sample_groups.bulan,
        sample_groups.kode_iku,
        sampling_plan.bulan as bulan_sampling,
        sum(sampling_plan.target_sampel) as rencana,
    from sample_groups
    inner join sampling_plan
        on sampling_plan.kode_satker = sample_groups.kode_satker
        and sampling_plan.tahun = sample_groups.tahun
        and sampling_plan.komoditi = sample_groups.kelompok
        and sampling_plan.bulan <= sample_groups.bulan
    group by all
),

sample_months as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        coalesce(samples_taken.jumlah, 0) as jumlah,
        coalesce(samples_planned.rencana, 0) as rencana,
        coalesce(samples_taken.perlu_tindak_lanjut, 0) as perlu_tindak_lanjut,
        coalesce(samples_taken.sudah_tindak_lanjut, 0) as sudah_tindak_lanjut,
    from samples_taken
    full join samples_planned using (kode_satker, tahun, bulan, kode_iku, bulan_sampling)
),

sample_components as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        'sampel' as jenis,
        'rencana' as komponen,
        sum(jumlah) as pembilang,
        sum(rencana) as penyebut,
        true as dibatasi,
    from sample_months
    group by all
    union all
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        'sampel' as jenis,
        'jadwal' as komponen,
        sum(least(jumlah, rencana)) as pembilang,
        sum(rencana) as penyebut,
        true as dibatasi,
    from sample_months
    group by all
    union all
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        'sampel' as jenis,
        'tindak_lanjut' as komponen,
        sum(sudah_tindak_lanjut) as pembilang,
        sum(perlu_tindak_lanjut) as penyebut,
        true as dibatasi,
    from sample_months
    group by all
    union all
    select
        sample_groups.kode_satker,
        sample_groups.tahun,
        sample_groups.bulan,
        sample_groups.kode_iku,
        'sampel' as jenis,
        'sla_pengujian' as komponen,
        count(*) filter (where timelines.status = 'tepat_waktu') as pembilang,
        count(*) filter (where timelines.status <> 'dalam_proses') as penyebut,
        true as dibatasi,
    from sample_groups
    inner join timelines
        on timelines.kode_satker = sample_groups.kode_satker
        and timelines.tahun = sample_groups.tahun
        and timelines.bulan = sample_groups.bulan
        and timelines.jenis_waktu = 'pengujian'
        and timelines.kelompok = sample_groups.kelompok
    group by all
),

-- inspections against their plan, per facility group the indicator covers (summed over its groups below)
facility_plan_groups as (
    select
        facility_groups.kode_satker,
        facility_groups.tahun,
        facility_groups.bulan,
        facility_groups.kode_iku,
        (
            select count(*) from inspections
            where
                inspections.kode_satker = facility_groups.kode_satker
                and inspections.kelompok = facility_groups.kelompok
                and year(inspections.tanggal_pemeriksaan) = facility_groups.tahun
                and inspections.tanggal_pemeriksaan <= facility_groups.akhir_periode
        ) as pembilang,
        (
            select sum(inspection_plan.target_sarana) from inspection_plan
            where
                inspection_plan.kode_satker = facility_groups.kode_satker
                and inspection_plan.tahun = facility_groups.tahun
                and inspection_plan.kelompok = facility_groups.kelompok
                and inspection_plan.bulan <= facility_groups.bulan
        ) as penyebut,
    from facility_groups
),

facility_components as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        'sarana' as jenis,
        'rencana' as komponen,
        sum(pembilang) as pembilang,
        sum(penyebut) as penyebut,
        true as dibatasi,
    from facility_plan_groups
    group by all
    union all
    select
        facility_groups.kode_satker,
        facility_groups.tahun,
        facility_groups.bulan,
        facility_groups.kode_iku,
        'sarana' as jenis,
        case timelines.jenis_waktu
            when 'laporan_pemeriksaan' then 'laporan_tepat_waktu'
            else 'tindak_lanjut_tepat_waktu'
        end as komponen,
        count(*) filter (where timelines.status = 'tepat_waktu') as pembilang,
        count(*) filter (where timelines.status <> 'dalam_proses') as penyebut,
        true as dibatasi,
    from facility_groups
    inner join timelines
        on timelines.kode_satker = facility_groups.kode_satker
        and timelines.tahun = facility_groups.tahun
        and timelines.bulan = facility_groups.bulan
        and timelines.jenis_waktu in ('laporan_pemeriksaan', 'surat_tl')
        and timelines.kelompok = facility_groups.kelompok
    group by all
),

recommendation_components as (
    select
        groups.kode_satker,
        groups.tahun,
        groups.bulan,
        groups.kode_iku,
        'rekomendasi' as jenis,
        'feedback' as komponen,
        count(*) filter (where letters.tanggal_feedback <= groups.akhir_periode) as pembilang,
        count(*) as penyebut,
        true as dibatasi,
    from groups
    inner join letters
        on letters.kode_satker = groups.kode_satker
        and letters.jenis_penerima = groups.kelompok
        and year(letters.tanggal_surat) = groups.tahun
        and letters.tanggal_surat <= groups.akhir_periode
    where groups.jenis = 'rekomendasi'
    group by all
),

fortification_components as (
    select
        groups.kode_satker,
        groups.tahun,
        groups.bulan,
        groups.kode_iku,
        'fortifikasi' as jenis,
        'cakupan' as komponen,
        count(distinct inspections.id_sarana) as pembilang,
        any_value(fortification.jumlah_produsen_wilayah) as penyebut,
        true as dibatasi,
    from groups
    inner join fortification
        on fortification.kode_satker = groups.kode_satker
        and fortification.tahun = groups.tahun
    left join inspections
        on inspections.kode_satker = groups.kode_satker
        and inspections.kelompok = groups.kelompok
        and year(inspections.tanggal_pemeriksaan) = groups.tahun
        and inspections.tanggal_pemeriksaan <= groups.akhir_periode
    where groups.jenis = 'fortifikasi'
    group by all
),

components as (
    select * from sample_components
    union all
    select * from facility_components
    union all
    select * from recommendation_components
    union all
    select * from fortification_components
),

final as (
    select
        kode_satker,
        tahun,
        bulan,
        kode_iku,
        jenis,
        komponen,
        cast(pembilang as double) as pembilang,
        cast(penyebut as double) as penyebut,
        -- capped at 100 by capping the numerator: least() would turn a 0-of-0 (NULL) into 100
        pct(
            cast(case when dibatasi then least(pembilang, penyebut) else pembilang end as double),
            cast(penyebut as double)
        ) as persen,
    from components
)

select * from final
