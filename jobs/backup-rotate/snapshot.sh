#!/bin/sh
# Packs $SOURCE into $BACKUPS/snapshot-<UTC time>.tar.gz and points latest.tar.gz at it.
# Exits 75 (temporary failure, worth a retry) if another snapshot is being written.
set -eu
mkdir -p "$BACKUPS"
lock="$BACKUPS/.lock"
if ! mkdir "$lock" 2>/dev/null; then
    echo "another snapshot is running ($lock exists); try again later" >&2
    exit 75
fi
trap 'rmdir "$lock"' EXIT
name="snapshot-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
tar -czf "$BACKUPS/$name.part" -C "$SOURCE" .
mv "$BACKUPS/$name.part" "$BACKUPS/$name"
ln -sfn "$name" "$BACKUPS/latest.tar.gz"
echo "wrote $BACKUPS/$name ($(wc -c < "$BACKUPS/$name") bytes)"
