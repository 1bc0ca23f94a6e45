#!/usr/bin/env bash
# The GPU check, run on a machine with an NVIDIA GPU from the repository root:
#
#     bash bench/gpu_check.sh
#
# 1. environment: nvidia-smi, torch and its CUDA device, timm, where libcuda.so* lives (ILGPU needs libcuda.so.1);
# 2. correctness: `xception bench --device gpu --check` (GPU backend against the CPU backend, batch 8);
# 3. our training step at 299x299, batch 32, 64, 128, and
# 4. PyTorch eager on the same GPU (bench/torch_gpu_step.py: the oracle's Xception, and timm's legacy_xception when
#    timm imports), interleaved batch by batch so a run cut short still has whole rows;
# 5. the new user's command, `xception train --config configs/xception_ascend.yaml --data-dir DIR --device gpu`, for
#    one epoch on a generated ImageNet-style folder (bench/make_image_folder.py: 1000 classes, one image each);
# 6. the table: $OUT/gpu_results.md (also printed) and $OUT/gpu_results.json, by bench/gpu_report.py.
#
# Needs the published CLI at artifacts/gpu/xception (self-contained: the GPU machine has no .NET). Build it on the
# development machine with
#     dotnet publish src/XceptionCompiler.Cli -c Release -r linux-x64 --self-contained \
#         -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -o artifacts/gpu
# (artifacts/ is git-ignored: pass it to the device machine with the device tool's carry: ["artifacts/gpu"]).
#
# Output goes to $OUT when set (the device tool brings back what is written there), else bench/gpu-results/.
# Every step has a timeout and the whole run a time budget, so it fits in 8 minutes; a step that fails, times out
# or is skipped for lack of time is reported in the table and the rest go on.
#
# Settings (environment): PYTHON (python3), XCEPTION_CLI (artifacts/gpu/xception), GPU_CHECK_BATCHES ("32 64 128"),
# GPU_CHECK_WARMUP (3), GPU_CHECK_ITERS (10), GPU_CHECK_BUDGET_S (420: no step runs past it),
# TORCH_CUDNN_BENCHMARK=1 (let cuDNN pick algorithms by timing; off by default, as in PyTorch).
set -u

cd "$(dirname "$0")/.." || exit 1
out_dir=${OUT:-bench/gpu-results}
steps="$out_dir/steps"
py=${PYTHON:-python3}
cli=${XCEPTION_CLI:-artifacts/gpu/xception}
batches=${GPU_CHECK_BATCHES:-32 64 128}
warmup=${GPU_CHECK_WARMUP:-3}
iters=${GPU_CHECK_ITERS:-10}
budget=${GPU_CHECK_BUDGET_S:-420}
deadline=$((SECONDS + budget))
report_reserve=20  # kept back for the table at the end
min_step=20        # a step is not started with less than this left: it would only time out
torch_flags=()
[ "${TORCH_CUDNN_BENCHMARK:-0}" = 1 ] && torch_flags+=(--cudnn-benchmark)

# Only this script's own files are cleared, so an $OUT that holds other things keeps them.
rm -rf "$steps" "$out_dir/gpu_results.md" "$out_dir/gpu_results.json"
mkdir -p "$steps" || exit 1
: > "$steps/notes.txt"

log() { printf '[%4ds] %s\n' "$SECONDS" "$*"; }
note() { log "note: $*"; echo "$*" >> "$steps/notes.txt"; }
skip() { echo "$2" > "$steps/$1.skip"; log "$1: skipped: $2"; }

# run_step NAME TIMEOUT COMMAND...: runs COMMAND with its output in steps/NAME.{out,err,rc,secs}, under the smaller of
# TIMEOUT and what is left of the budget; prints one line of outcome.
run_step() {
    local name=$1 limit=$2 left start rc
    shift 2
    left=$((deadline - SECONDS - report_reserve))
    if [ "$left" -lt "$min_step" ]; then
        skip "$name" "time budget spent (GPU_CHECK_BUDGET_S=$budget)"
        return
    fi
    [ "$limit" -gt "$left" ] && limit=$left
    log "$name (timeout ${limit}s): $*"
    start=$SECONDS
    # -k: a step that ignores SIGTERM is killed 10 s later; stdin closed so nothing waits for input.
    timeout -k 10 "$limit" "$@" > "$steps/$name.out" 2> "$steps/$name.err" < /dev/null
    rc=$?
    echo "$rc" > "$steps/$name.rc"
    echo "$((SECONDS - start))" > "$steps/$name.secs"
    log "$name: exit $rc in $((SECONDS - start))s: $(tail -n 1 "$steps/$name.out" | cut -c1-300)"
    if [ "$rc" -ne 0 ]; then
        tail -n 3 "$steps/$name.err" | sed 's/^/    /'
    fi
}

# ---------------------------------------------------------------- 1. environment
log "output: $out_dir"
{
    echo "## nvidia-smi -L"; timeout 20 nvidia-smi -L
    echo "## nvidia-smi"; timeout 20 nvidia-smi
} > "$steps/nvidia_smi.txt" 2>&1
timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
    > "$steps/nvidia_smi_query.txt" 2>&1
log "GPU: $(head -n 1 "$steps/nvidia_smi_query.txt")"

ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)
{
    echo "## ldconfig -p | grep libcuda"; "$ldconfig_bin" -p 2>&1 | grep 'libcuda\.so'
    echo "## LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
    echo "## find / -name 'libcuda.so*'"
    timeout 20 find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o -name 'libcuda.so*' -print 2>/dev/null
    true
} > "$steps/libcuda.txt"
sed 's/^/    /' "$steps/libcuda.txt"
# The driver library may sit outside the loader's cache (a container mounting the host's driver somewhere else):
# then point the loader at it, since the CLI opens libcuda.so.1 by name. The toolkit's stubs/ copy is not a driver.
if ! "$ldconfig_bin" -p 2>/dev/null | grep -q 'libcuda\.so\.1 '; then
    found=$(grep -v '/stubs/' "$steps/libcuda.txt" | grep '^/.*/libcuda\.so\.1$' | head -n 1)
    if [ -n "$found" ]; then
        driver_dir=$(dirname "$found")
        export LD_LIBRARY_PATH="$driver_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        note "libcuda.so.1 is not in the loader cache; LD_LIBRARY_PATH starts with $driver_dir"
    else
        note "no libcuda.so.1 found: the GPU backend cannot load the CUDA driver"
    fi
fi

timeout 120 "$py" bench/torch_gpu_step.py --info ${torch_flags[@]+"${torch_flags[@]}"} \
    > "$steps/torch_info.out" 2> "$steps/torch_info.err" < /dev/null \
    || note "torch_gpu_step.py --info failed: $(tail -n 1 "$steps/torch_info.err")"
log "torch: $(tail -n 1 "$steps/torch_info.out")"
timm_ok=0
if grep -q '"timm": "' "$steps/torch_info.out"; then
    timm_ok=1
fi

# A self-contained .NET app needs ICU unless told to do without; the CLI formats with the invariant culture anyway.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}
# Where a single-file app unpacks what it must: somewhere writable that is not copied back with $OUT.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR=${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-${TMPDIR:-/tmp}/xception-bundle}

publish="dotnet publish src/XceptionCompiler.Cli -c Release -r linux-x64 --self-contained"
publish+=" -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -o artifacts/gpu"
cli_ok=1
if [ ! -f "$cli" ]; then
    cli_ok=0
    note "$cli is missing: build it on the development machine with '$publish' and carry artifacts/gpu"
    echo "*** $cli is missing: on the development machine run" >&2
    echo "***     $publish" >&2
    echo "*** and pass artifacts/gpu with the device tool's carry. The PyTorch steps run without it." >&2
elif [ ! -x "$cli" ]; then
    chmod +x "$cli" 2>/dev/null || { cli_ok=0; note "$cli is not executable and chmod failed"; }
fi

# ---------------------------------------------------------------- 2. correctness against the CPU backend
if [ "$cli_ok" = 1 ]; then
    run_step check 150 "$cli" bench --model Xception --device gpu --check --batch 8 --json
else
    skip check "no CLI at $cli"
fi

# ---------------------------------------------------------------- 5. the new user's command
# Before the timing rows, so a short budget cuts a batch size rather than this.
images="${TMPDIR:-/tmp}/xception-gpu-check-images"
if [ "$cli_ok" = 1 ]; then
    rm -rf "$images"
    run_step image_folder 60 "$py" bench/make_image_folder.py "$images"
    if [ "$(cat "$steps/image_folder.rc" 2>/dev/null)" = 0 ]; then
        run_step train_cli 150 "$cli" train --config configs/xception_ascend.yaml --data-dir "$images" --device gpu \
            --epoch-size 1 --ckpt-save-dir "$steps/ckpt"
    else
        skip train_cli "the image folder could not be written (steps/image_folder.err)"
    fi
else
    skip train_cli "no CLI at $cli"
fi

# ---------------------------------------------------------------- 3-4. training steps, ours and PyTorch's
for batch in $batches; do
    if [ "$cli_ok" = 1 ]; then
        run_step "ours_b$batch" 120 "$cli" bench --model Xception --device gpu --mode train --batch "$batch" \
            --iters "$iters" --warmup "$warmup" --json
    else
        skip "ours_b$batch" "no CLI at $cli"
    fi
    run_step "torch_oracle_b$batch" 90 "$py" bench/torch_gpu_step.py --net oracle --mode train --batch "$batch" \
        --iters "$iters" --warmup "$warmup" ${torch_flags[@]+"${torch_flags[@]}"}
    if [ "$timm_ok" = 1 ]; then
        run_step "torch_timm_b$batch" 90 "$py" bench/torch_gpu_step.py --net timm --mode train --batch "$batch" \
            --iters "$iters" --warmup "$warmup" ${torch_flags[@]+"${torch_flags[@]}"}
    else
        skip "torch_timm_b$batch" "timm does not import with $py"
    fi
done

# ---------------------------------------------------------------- 6. the table
log "steps done; writing $out_dir/gpu_results.md"
# shellcheck disable=SC2086  # $batches is a list of numbers on purpose
if ! timeout 60 "$py" bench/gpu_report.py --dir "$out_dir" --batches $batches --cli "$cli" \
        --iters "$iters" --warmup "$warmup"; then
    # Without the table, at least show each step's last line.
    log "gpu_report.py failed; the raw results:"
    for file in "$steps"/*.out; do
        [ -e "$file" ] && echo "$(basename "$file"): $(tail -n 1 "$file" | cut -c1-400)"
    done
    exit 1
fi
log "done in ${SECONDS}s"
