-- Helpers shared by the models. Every division is guarded: DuckDB returns inf/NaN for x / 0 and the
-- published contract wants NULL for anything undefined.

-- A ratio that is not finite (a tiny divisor) is as undefined as one divided by 0.
create or replace macro finite_or_null(x) as case when isfinite(x) then x end;

-- x as a percentage of y; NULL when y is 0 or NULL.
create or replace macro pct(x, y) as finite_or_null(x / nullif(y, 0) * 100);

-- Capaian of one indicator by its polarity (methodology §1); NULL when not measurable.
create or replace macro capaian_of(realisasi, target, polaritas) as
    finite_or_null(case
        when realisasi is null or target is null or target = 0 then null
        when polaritas = 'minimize' then (2 - realisasi / target) * 100
        else realisasi / target * 100
    end);

-- Is x inside a band of the methodology profile? A NULL bound is open. Bands are applied to the value
-- rounded to 2 decimals (methodology §1), so that a label always agrees with the number a reader sees.
create or replace macro in_band(x, bawah, bawah_inklusif, atas, atas_inklusif) as
    (bawah is null or x > bawah or (bawah_inklusif and x = bawah))
    and (atas is null or x < atas or (atas_inklusif and x = atas));
