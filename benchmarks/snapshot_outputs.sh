#!/usr/bin/env bash
# Byte-identical check for refactors: run every command on data_samples/ and on a fresh
# synthetic set, and write the md5 of every output file (tables, plots, CSV) to OUT/hashes.txt.
# Run it on the tree before and after a change, then compare:
#
#   benchmarks/snapshot_outputs.sh python3 /path/to/old/checkout /tmp/before
#   benchmarks/snapshot_outputs.sh python3 /path/to/new/checkout /tmp/after
#   diff /tmp/before/hashes.txt /tmp/after/hashes.txt && echo identical
#
# SRC is put first on PYTHONPATH; the commands run in OUT (so SRC's radlink is the one used).
# Manifests and logs hold run times and ids, so they are listed but not hashed.
set -u
PY=$1; SRC=$(cd "$2" && pwd); OUT=$3
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT"
export PYTHONPATH=$SRC RADLINK_PSEUDONYM_KEY=snapshot-key-0123456789abcdef
R() { "$PY" -c "import sys; from radlink.cli import main; sys.argv[0]='radlink'; main()" "$@"; }
D=$SRC/data_samples
step() { name=$1; shift; R "$@" > "$name.log" 2>&1; echo "$name $?" >> rc.txt; }
step synth synth --patients 60 --seed 11 -o synth60
step validate validate "$D"
step timeline timeline "$D" -o tl --no-progress
step timeline_pseudonymised timeline "$D" -o tlp --pseudonymise --no-progress
step timeline_synth timeline synth60 -o tls --no-progress
step link link synth60 -o links60.parquet --no-progress
step evaluate_linkage evaluate-linkage synth60 --links links60.parquet
step extract extract "$D/reports.parquet" -o ext --no-progress
step evaluate_nlp evaluate-nlp "$D/nlp_gold_heldout2"
step ingest_dicom ingest-dicom "$D/dicom" -o dicom.parquet --errors dicom_errors.parquet
step count count tl --modality PT
step redcap redcap-prefill tl -d "$D/redcap/lung_pet_dictionary.csv" -m "$D/redcap/lung_pet_map.toml" -o redcap.csv
step plot plot 800004332 --timeline tl -o patient.html
find . -type f ! -name '*.json' ! -name '*.log' ! -name hashes.txt ! -name rc.txt | sort | xargs md5sum > hashes.txt
echo "$(wc -l < hashes.txt) files hashed in $OUT/hashes.txt; exit codes in $OUT/rc.txt"
