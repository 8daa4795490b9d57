#!/bin/sh
# Appends one line to out/history.csv from the outputs it was given through env, and keeps the
# upstream outputs as a whole (the JSON file $GNOMON_INPUTS names) as out/last-inputs.json.
set -eu
mkdir -p out
[ -e out/history.csv ] || echo "time,used_percent,available_kb,verdict" > out/history.csv
echo "$GNOMON_SCHEDULED_TIME,$USED,$AVAILABLE_KB,$VERDICT" >> out/history.csv
cp "$GNOMON_INPUTS" out/last-inputs.json
tail -n 1 out/history.csv
