-- Helpers shared by the models. Every division is guarded: DuckDB returns inf/NaN for x / 0 and the
-- published contract wants NULL for anything undefined.

-- A ratio that is not finite (a tiny divisor) is as undefined as one divided by 0.
create or replace macro finite_or_null(x) as case when isfinite(x) then x end;

-- x as a reader sees it: 2 decimals, half away from zero, of x to 15 significant digits (what a spreadsheet
-- shows; 50.01 / 40 * 100 is 125.02499999999999 in binary, 125,03 on paper). sakip.report.format.rounded
-- applies the same rule, so a label, a direction and the number printed beside them agree. NULL beyond
-- 10^32.
create or replace macro as_shown(x) as round(try_cast(format('{:.15g}', x) as decimal(38, 6)), 2);

-- x as a percentage of y; NULL when y is 0 or NULL.
create or replace macro pct(x, y) as finite_or_null(x / nullif(y, 0) * 100);

-- Capaian of one indicator by its polarity (methodology §1); NULL when not measurable.
create or replace macro capaian_of(realisasi, target, polaritas) as finite_or_null(
    case
        when realisasi is null or target is null or target = 0 then null
        when polaritas = 'minimize' then (2 - realisasi / target) * 100
        else realisasi / target * 100
    end
);

-- Does `band`, a row of the profile's bands (int_profil_pita, ref.profil_pita), hold x on the scale `scale`
-- for the year `year`? A NULL bound is open. Bands are applied to the value rounded to 2 decimals
-- (methodology §1), so that a label always agrees with the number a reader sees. Used as a join condition:
--     left join bands as kriteria on band_holds(kriteria, 'kriteria', capaian.tahun, capaian.capaian)
create or replace macro band_holds(band, scale, year, x) as (
    band.tahun = year
    and band.skala = scale
    and (band.bawah is null or as_shown(x) > band.bawah or (band.bawah_inklusif and as_shown(x) = band.bawah))
    and (band.atas is null or as_shown(x) < band.atas or (band.atas_inklusif and as_shown(x) = band.atas))
);

-- The order of the versions of a record of a cumulative export (SIPT): a later export year, then a later file of
-- that year (`recency`, int_files_current), then a later row. One number, not a struct of the three: a struct's
-- max costs half the SIPT models' time at national scale. The three name one row: a record's versions are in
-- its satker's files (a file names one satker, sakip.readers), and (tahun, recency) names one of those. No
-- overflow: tahun is a run's year (2000-2100), recency and baris are far below 10^15.
create or replace macro version_order(tahun, recency, baris) as (
    tahun::hugeint * 1000000000000000000000000000000 + recency::hugeint * 1000000000000000 + baris
);

-- The newest version of each record of a cumulative export (SIPT): `records` (a CTE's name) carries `newer`,
-- its version_order, and `kunci` is the record's key within its satker. Found by aggregate and join: a
-- window over every row of every export costs three times as much at national scale.
create or replace macro newest_version(records, kunci) as table
    with newest as (
        select
            kode_satker as newest_satker,
            kunci as newest_kunci,
            max(newer) as newest,
        from query_table(records)
        group by all
    )

    select record_version.* exclude (newer)  -- names a column of the star, not a reference -- noqa: RF02
    from query_table(records) as record_version  -- `records`: the parameter, a table's name -- noqa: RF02
    inner join newest
        on newest.newest_satker = record_version.kode_satker
        and newest.newest_kunci = kunci  -- `kunci`: the parameter, a column of `records` -- noqa: RF02
        and newest.newest = record_version.newer;

-- Which way a capaian went from `before` to `now`, on the values as a reader sees them (as_shown): naik,
-- turun or tetap; NULL when either is not measured. Capaian, not realisasi: it already reads the indicator's
-- polarity (a realisasi that rises is worse for a minimised indicator).
create or replace macro arah(now, before) as
case
    when as_shown(now) is null or as_shown(before) is null then null
    when as_shown(now) > as_shown(before) then 'naik'
    when as_shown(now) < as_shown(before) then 'turun'
    else 'tetap'
end;
