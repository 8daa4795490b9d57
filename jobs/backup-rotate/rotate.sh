#!/bin/sh
# Keeps the newest $KEEP snapshots in $BACKUPS and removes the rest.
set -eu
cd "$BACKUPS"
count=0
for file in $(ls -1t snapshot-*.tar.gz 2>/dev/null); do
    count=$((count + 1))
    if [ "$count" -gt "$KEEP" ]; then
        rm -f "$file"
        echo "removed $file"
    fi
done
echo "kept $(ls -1 snapshot-*.tar.gz 2>/dev/null | wc -l) of at most $KEEP snapshots"
