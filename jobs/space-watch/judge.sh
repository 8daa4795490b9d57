#!/bin/sh
# judge.sh USED_PERCENT MOUNT: publishes verdict=ok or verdict=full, and fails when full.
set -eu
used=$1 mount=$2
if [ "$used" -gt "${THRESHOLD:-90}" ]; then
    echo "verdict=full" >> "$GNOMON_OUTPUT"
    echo "$mount is $used% full, above ${THRESHOLD:-90}%" >&2
    exit 1
fi
echo "verdict=ok" >> "$GNOMON_OUTPUT"
echo "$mount is $used% full"
