#!/bin/sh
# Publishes the file system's figures as outputs: key=value lines, and the df line as a
# multi-line key<<DELIMITER block (the same syntax as GitHub Actions' $GITHUB_OUTPUT).
set -eu
df -P . | awk 'NR == 2 { print "used_percent=" $5 + 0; print "available_kb=" $4; print "mount=" $6 }' >> "$GNOMON_OUTPUT"
{
    echo "df<<END_OF_DF"
    df -hP .
    echo "END_OF_DF"
} >> "$GNOMON_OUTPUT"
echo "measured $(pwd)"
