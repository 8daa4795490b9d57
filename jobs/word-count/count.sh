#!/bin/sh
# Counts the words of one text (this instance's item) and publishes words=N.
set -eu
words=$(wc -w < "$1" | tr -d ' ')
echo "words=$words" >> "$GNOMON_OUTPUT"
echo "$1: $words words (instance $GNOMON_ITEM_INDEX)"
