# The Slurm benchmark of scripts/bench (sourced by it, not run alone). Uses from scripts/bench:
# $gnomon, $scratch, $runs, $repo, row, verdict, median, say, die, now_ns.
#
#   slurm    a single-node cluster started in the scratch folder (as the tests start it), then
#            200 one-second tasks, pairs in alternation: `gnomon run` of a job of 200 slurm:
#            tasks, and a bare loop that submits the same 200 jobs with sbatch and polls squeue
#            once a second until all have ended. The median wall-time ratio and each pair's
#            ratio (the spread); and slurmctld's query RPCs per minute (squeue, scontrol: what
#            polling costs; sdiag's per-message counts, reset before each run) of Gnomon's runs
#            and of the bare loop's.

slurm_start() {
    local root=$1 i
    for i in 1 2; do
        slurm_ports[$i]=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    done
    sh "$repo/Sources/GnomonTesting/Slurm/slurm-cluster.sh" "$root" "${slurm_ports[1]}" "${slurm_ports[2]}" start >&2 \
        || die "the Slurm cluster did not start in $root (is slurm-wlm installed? scripts/setup installs it)"
    export SLURM_CONF="$root/etc/slurm.conf"
    for ((i = 0; i < 300; i++)); do [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && return 0; sleep 0.1; done
    die "the Slurm node in $root never became idle"
}

slurm_stop() {
    local root=$1 name pid
    scancel --user="$(id -u)" 2>/dev/null || true
    for name in slurmd slurmctld munged; do
        pid=$(cat "$root/run/$name.pid" 2>/dev/null) || continue
        kill "$pid" 2>/dev/null || continue
        for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
}

# Waits until squeue lists no pending or running job (one call a second, like the bare loop).
slurm_drain() { while [ -n "$(squeue -h -t pending,running,configuring,completing -o %i)" ]; do sleep 1; done; }

# The bare loop: 200 sbatch, then squeue once a second until all have ended.
slurm_bare() {
    local dir=$1 i
    for ((i = 0; i < 200; i++)); do
        sbatch --parsable --no-requeue --job-name="bare.$i" --output="$dir/bare.$i.log" --wrap="sleep 1" >/dev/null \
            || die "sbatch failed"
    done
    slurm_drain
}

# The RPCs sdiag counted since its last reset, by kind: "QUERIES OTHERS". Queries are what
# polling costs (REQUEST_JOB_INFO* from squeue and scontrol, node and partition info); others are
# the jobs' own life (slurmd's completions, epilogs; cancellations); submissions and sdiag's own
# statistics requests are left out.
slurm_rpcs() {
    sdiag | awk '/Remote Procedure Call statistics by message type/ { on = 1; next }
        /Remote Procedure Call statistics by user/ { on = 0 }
        on && /count:/ && $1 !~ /REQUEST_SUBMIT_BATCH_JOB|STATS/ {
            for (i = 1; i <= NF; i++) if ($i ~ /^count:/) { split($i, c, ":"); if ($1 ~ /INFO/) q += c[2]; else o += c[2] }
        }
        END { print q + 0, o + 0 }'
}

# per_minute COUNT SECONDS
per_minute() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.1f\n", r / (s / 60) }'; }

bench_slurm() {
    local root="$scratch/slurm" jobs="$scratch/slurm-jobs" home i t0 t1 g b rpcs brpcs
    command -v sbatch >/dev/null || die "the slurm benchmark needs slurm-wlm and munge (scripts/setup installs them)"
    mkdir -p "$root" "$jobs"
    slurm_start "$root"
    trap 'slurm_stop "$root"; cleanup' EXIT
    {
        echo "tasks:"
        for ((i = 0; i < 200; i++)); do echo "  t$i: { run: sleep 1, slurm: { cpus: 1 } }"; done
    } > "$jobs/sleepy.yaml"
    : > "$scratch/slurm-gnomon"; : > "$scratch/slurm-bare"; : > "$scratch/slurm-rpm"; : > "$scratch/slurm-bare-rpm"
    for ((i = 1; i <= runs; i++)); do
        home="$scratch/slurm-home-$i"
        sdiag -r >/dev/null
        t0=$(now_ns)
        "$gnomon" run sleepy --jobs "$jobs" --home "$home" --workers 200 >/dev/null 2>"$scratch/slurm-stderr" \
            || { cat "$scratch/slurm-stderr" >&2; die "gnomon run of 200 Slurm tasks failed"; }
        t1=$(now_ns)
        rpcs=$(slurm_rpcs)
        g=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        echo "$g" >> "$scratch/slurm-gnomon"
        per_minute "${rpcs% *}" "$g" >> "$scratch/slurm-rpm"
        slurm_drain
        sdiag -r >/dev/null
        t0=$(now_ns)
        slurm_bare "$scratch"
        t1=$(now_ns)
        brpcs=$(slurm_rpcs)
        b=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        echo "$b" >> "$scratch/slurm-bare"
        per_minute "${brpcs% *}" "$b" >> "$scratch/slurm-bare-rpm"
        say "slurm pair $i: gnomon ${g} s, bare loop ${b} s; query RPCs (others): gnomon ${rpcs% *} (${rpcs#* }), bare loop ${brpcs% *} (${brpcs#* })"
    done
    slurm_stop "$root"
    trap cleanup EXIT
    local gm bm ratio spread rpm brpm gr br
    gm=$(median < "$scratch/slurm-gnomon")
    bm=$(median < "$scratch/slurm-bare")
    ratio=$(awk -v g="$gm" -v b="$bm" 'BEGIN { printf "%.3f", g / b }')
    spread=$(paste "$scratch/slurm-gnomon" "$scratch/slurm-bare" | awk '{ printf "%s%.3f", (NR > 1 ? ", " : ""), $1 / $2 }')
    gr=$(sort -g "$scratch/slurm-gnomon" | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%s-%s", a, b }')
    br=$(sort -g "$scratch/slurm-bare" | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%s-%s", a, b }')
    rpm=$(median < "$scratch/slurm-rpm")
    brpm=$(median < "$scratch/slurm-bare-rpm")
    row "200 one-second Slurm tasks, wall time (median of $runs; gnomon $gr s, bare $br s; pair ratios: $spread)" "${gm} s" "${bm} s (sbatch loop)" "$ratio" "1.10" "$(verdict "$ratio" 1.10)"
    row "slurmctld query RPCs per minute (squeue, scontrol; median of $runs)" "$rpm" "$brpm (squeue once a second)" "-" "-" "-"
}
