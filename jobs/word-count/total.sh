#!/bin/sh
# Sums the gathered counts ($1, a JSON array like ["12","7"]) and writes them beside the files
# they came from ($2, the planned list) to out/total.txt.
set -eu
mkdir -p out
total=$(printf '%s' "$1" | tr -d '[]" ' | tr ',' '\n' | awk 'NF { sum += $1 } END { print sum + 0 }')
{
  echo "files: $2"
  echo "counts: $1"
  echo "total: $total"
} > out/total.txt.tmp
mv out/total.txt.tmp out/total.txt
echo "total: $total words"
