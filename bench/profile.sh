#!/usr/bin/env bash
# Where a step's time goes: samples `xception bench` with Linux perf and prints the hottest functions (self time).
#   bash bench/profile.sh train 8      # or: infer 1
# Needs perf (Debian: linux-perf) and the CLI built (dotnet build src/XceptionCompiler.Cli -c Release).
# The JIT writes /tmp/perf-PID.map so perf can name managed code; W^X off keeps that code at the mapped addresses.
set -euo pipefail
mode=${1:-train}
batch=${2:-8}
iters=${3:-$([ "$mode" = train ] && echo 4 || echo 80)}
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(mktemp /tmp/xception-profile.XXXXXX)
trap 'rm -f "$data"' EXIT
# Skip start-up and the warm-up step (parameter init, first-touch page faults, JIT): only steady steps are sampled.
delay_ms=$([ "$mode" = train ] && echo 12000 || echo 4000)
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -q -F 499 -D "$delay_ms" -o "$data" \
  dotnet "$root/src/XceptionCompiler.Cli/bin/Release/net10.0/xception.dll" bench --model Xception \
  --mode "$mode" --batch "$batch" --iters "$iters" --threads 2 | tail -1
perf report -i "$data" --no-children --sort symbol 2>/dev/null | grep -v '^#' | grep '%' | head -25 \
  | sed -E 's/\[(XceptionCompiler\.Runtime|System\.Private\.CoreLib|System\.Numerics\.Tensors)\] //; s/XceptionCompiler\.Runtime\.//g; s/\(.*//' 
