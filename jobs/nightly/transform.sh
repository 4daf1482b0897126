#!/bin/sh
# Transforms one region's shard (the step's matrix gives REGION and SHARD).
echo "transformed region $1 shard $2 (instance $RUNNER_INSTANCE of step $RUNNER_STEP)"
