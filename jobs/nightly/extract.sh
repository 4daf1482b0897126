#!/bin/sh
# Extracts one shard: writes part.csv in the sandbox.
shard="$1"
printf 'id,shard\n%s,%s\n' "$((shard * 100))" "$shard" > part.csv
echo "extracted shard $shard of $RUNNER_INSTANCES ($(wc -l < part.csv) lines)"
