"""sakip: the Laporan Kinerja pipeline for BPOM units."""
