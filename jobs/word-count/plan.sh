#!/bin/sh
# Lists the .txt files of folder $1 as a JSON array of paths: files=["texts/a.txt",...].
set -eu
folder=$1
list=""
for file in "$folder"/*.txt; do
  [ -f "$file" ] || continue
  # Escape backslashes and double quotes for JSON.
  escaped=$(printf '%s' "$file" | sed 's/\\/\\\\/g; s/"/\\"/g')
  list="$list${list:+,}\"$escaped\""
done
echo "files=[$list]" >> "$GNOMON_OUTPUT"
echo "planned: [$list]"
