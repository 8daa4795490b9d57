#!/bin/sh
# Combines out/df.txt and out/du.txt into out/report-YYYY-MM-DD.txt and prints where it went.
set -eu
day=$(date -u +%Y-%m-%d)
report="out/report-$day.txt"
{
    echo "Disk report for $(hostname), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "== File systems =="
    cat out/df.txt
    echo
    echo "== Biggest folders (KiB) =="
    cat out/du.txt
} > "$report"
echo "wrote $(pwd)/$report ($(wc -l < "$report") lines)"
