# The big-graph benchmarks of scripts/bench (sourced by it, not run alone). Uses from scripts/bench:
# $gnomon, $gbench, $scratch, $big_runs, $big_parts, $recovery_tries, row, verdict, median, now_ns, say, die, start_daemon and
# stop_daemon (scripts/bench-daemon.sh).
#
#   run       100,000-task wide and layered graphs of /bin/true (--workers 2) against the
#             1,000-task graph of the same shape, in alternating pairs: time per task, ratio
#             big / small per pair; peak resident memory of the runner (/usr/bin/time -v's
#             "Maximum resident set size")
#   show      gnomon show RUN of a 100,000-task run, gnomon validate of its file (median of 5)
#   recovery  a daemon SIGKILLed in the middle of a 100,000-task run, restarted: the time from
#             the restart to the first attempt it starts (a new row in `attempts`)

# peak_kb FILE: the "Maximum resident set size" /usr/bin/time -v wrote to FILE, in KiB.
peak_kb() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

# big_timed OUT RSSOUT COMMAND...: `timed`, with the command's peak resident KiB appended to RSSOUT.
big_timed() {
    local out=$1 rss=$2; shift 2
    timed "$out" /usr/bin/time -v -o "$scratch/time-v" "$@"
    peak_kb "$scratch/time-v" >> "$rss"
}

bench_big_runs() {
    local shape i dir small big
    for shape in wide layered; do
        dir="$scratch/big-$shape"
        small="$dir/small" big="$dir/big"
        "$gbench" dag "$shape" 1000 "$small"
        "$gbench" dag "$shape" 100000 "$big"
        # A warm-up of the small graph, untimed; the big one is too long to run twice for it.
        "$gnomon" run "$shape" --jobs "$small/jobs" --home "$small/home-0" --workers 2 >/dev/null
        : > "$dir/small.t"; : > "$dir/big.t"; : > "$dir/small.rss"; : > "$dir/big.rss"
        for ((i = 1; i <= big_runs; i++)); do
            # Alternate which goes first, so a slow moment of the machine hits both alike.
            if ((i % 2)); then
                big_timed "$dir/small.t" "$dir/small.rss" "$gnomon" run "$shape" --jobs "$small/jobs" --home "$small/home-$i" --workers 2
                big_timed "$dir/big.t" "$dir/big.rss" "$gnomon" run "$shape" --jobs "$big/jobs" --home "$big/home-$i" --workers 2
            else
                big_timed "$dir/big.t" "$dir/big.rss" "$gnomon" run "$shape" --jobs "$big/jobs" --home "$big/home-$i" --workers 2
                big_timed "$dir/small.t" "$dir/small.rss" "$gnomon" run "$shape" --jobs "$small/jobs" --home "$small/home-$i" --workers 2
            fi
            # The small run's files are few; the big run's 100,000 logs are deleted now, as a
            # user's retention would, except the last run's (`show` reads it below).
            ((i == big_runs)) || rm -rf "$big/home-$i"
        done
        local s b s_ms b_ms ratio low high rss rss_max
        s=$(awk '{ print $1 }' "$dir/small.t" | median)
        b=$(awk '{ print $1 }' "$dir/big.t" | median)
        s_ms=$(awk -v v="$s" 'BEGIN { printf "%.3f", v * 1000 / 1000 }')
        b_ms=$(awk -v v="$b" 'BEGIN { printf "%.3f", v * 1000 / 100000 }')
        paste -d' ' "$dir/big.t" "$dir/small.t" | awk '{ print ($1 / 100000) / ($3 / 1000) }' | sort -g > "$dir/ratios"
        ratio=$(printf '%.2f' "$(median < "$dir/ratios")")
        low=$(printf '%.2f' "$(head -1 "$dir/ratios")"); high=$(printf '%.2f' "$(tail -1 "$dir/ratios")")
        row "$shape 100,000 vs 1,000 tasks: time per task (median of $big_runs alternating pairs; ratios $low-$high)" \
            "${b_ms} ms (run ${b}s)" "${s_ms} ms (run ${s}s)" "$ratio" "<= 1.2" "$(verdict "$ratio" 1.2)"
        rss=$(median < "$dir/big.rss"); rss_max=$(sort -g "$dir/big.rss" | tail -1)
        local rss_mb rss_max_mb small_mb
        rss_mb=$(awk -v v="$rss" 'BEGIN { printf "%.0f", v / 1024 }')
        rss_max_mb=$(awk -v v="$rss_max" 'BEGIN { printf "%.0f", v / 1024 }')
        small_mb=$(awk -v v="$(median < "$dir/small.rss")" 'BEGIN { printf "%.0f", v / 1024 }')
        row "$shape 100,000 tasks: peak resident memory of gnomon run (median of $big_runs; highest ${rss_max_mb} MiB)" \
            "${rss_mb} MiB" "${small_mb} MiB (1,000 tasks)" "-" "< 1024 MiB" "$(verdict "$rss_max_mb" 1024)"
        say "big $shape: ${b_ms} ms a task at 100,000, ${s_ms} ms at 1,000, ratio $ratio ($low-$high); peak RSS $rss_mb MiB (highest $rss_max_mb)"
    done
}

bench_big_show() {
    local dir="$scratch/big-layered" i
    local home="$dir/big/home-$big_runs"
    [ -s "$home/gnomon.db" ] || die "no 100,000-task run to show in $home"
    "$gnomon" show 1 --home "$home" >/dev/null   # warm the page cache, as a second look would
    : > "$dir/show.t"; : > "$dir/validate.t"
    for ((i = 1; i <= 5; i++)); do
        timed "$dir/show.t" "$gnomon" show 1 --home "$home"
        timed "$dir/validate.t" "$gnomon" validate --jobs "$dir/big/jobs"
    done
    local show validate
    show=$(awk '{ print $1 }' "$dir/show.t" | median); validate=$(awk '{ print $1 }' "$dir/validate.t" | median)
    row "gnomon show RUN, 100,000-task layered run (median of 5; $(sort -g "$dir/show.t" | awk 'NR == 1 { a = $1 } END { printf "%s-%s", a, $1 }') s)" \
        "${show} s" "-" "-" "< 1 s" "$(verdict "$show" 1)"
    row "gnomon validate, 100,000-task layered file (median of 5; $(sort -g "$dir/validate.t" | awk 'NR == 1 { a = $1 } END { printf "%s-%s", a, $1 }') s)" \
        "${validate} s" "-" "-" "< 2 s" "$(verdict "$validate" 2)"
    say "big show: $show s; validate: $validate s"
}

# The newest attempt's id in HOME's database (0 when none).
newest_attempt() { sqlite3 -cmd '.timeout 10000' "$1/gnomon.db" 'SELECT coalesce(max(id), 0) FROM attempts'; }

bench_big_recovery() {
    command -v sqlite3 >/dev/null || die "the recovery benchmark reads the database with sqlite3; run scripts/setup"
    local dir="$scratch/big-recovery" tries=$recovery_tries i
    "$gbench" dag wide 100000 "$dir"
    : > "$dir/resume"
    for ((i = 1; i <= tries; i++)); do
        local home="$dir/home-$i" run before t0 t1 waited=0
        start_daemon "$home" "$dir/jobs" "$dir/daemon-$i.log"
        run=$("$gnomon" trigger wide --jobs "$dir/jobs" --home "$home") || die "gnomon trigger failed"
        # In the middle: once a few thousand tasks have run.
        while (($(newest_attempt "$home") < 5000)); do
            sleep 0.2
            waited=$((waited + 1))
            ((waited < 600)) || die "run $run of wide did not reach 5,000 attempts within 2 minutes"
        done
        kill -KILL "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true
        before=$(newest_attempt "$home")
        t0=$(now_ns)
        start_daemon "$home" "$dir/jobs" "$dir/daemon-$i-restarted.log"
        waited=0
        while (($(newest_attempt "$home") <= before)); do
            sleep 0.02
            waited=$((waited + 1))
            ((waited < 1500)) || { stop_daemon; die "the restarted daemon started no task of run $run within 30 s"; }
        done
        t1=$(now_ns)
        stop_daemon
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >> "$dir/resume"
        rm -rf "$home"
    done
    local med low high
    med=$(median < "$dir/resume"); low=$(sort -g "$dir/resume" | head -1); high=$(sort -g "$dir/resume" | tail -1)
    row "daemon SIGKILLed mid-run (100,000-task wide run, after 5,000 attempts): restart to the first task resumed (median of $tries; $low-$high s)" \
        "${med} s" "-" "-" "< 5 s" "$(verdict "$med" 5)"
    say "big recovery: restart to the first resumed task $med s ($low-$high)"
}

bench_big() {
    command -v /usr/bin/time >/dev/null || die "the big benchmark reads peak memory with /usr/bin/time (Debian package time)"
    local part
    for part in ${big_parts//,/ }; do
        case "$part" in
            runs) bench_big_runs ;;
            show) bench_big_show ;;
            recovery) bench_big_recovery ;;
            *) die "--big-parts: unknown part \"$part\"; use runs, show, recovery" ;;
        esac
    done
}
