# The soak benchmark of scripts/bench (sourced by it, not run alone). Uses from scripts/bench and
# scripts/bench-daemon.sh: $gnomon, $gbench, $scratch, $soak_runs, $soak_jobs, $soak_backlog, row,
# verdict, say, die, start_daemon, stop_daemon, rss_mb, cpu_seconds.
#
#   soak   $soak_runs runs (default 100,000) through one daemon with retention on: $soak_jobs jobs
#          `@every 1s` (default 100) whose task is `true`, keep: { runs: 50 } for every job, a
#          pass of the pruner every 30 s. Every 10 s it prints a line of the curve: runs so far,
#          the daemon's resident memory, the database's size (file and WAL), and how late the
#          fire times of those 10 s were decided and their runs started (median and max).
#          With --soak-backlog N, N runs of 10 attempts (gnomon-bench filldb) are in the
#          database before the daemon starts, all outside the policy: the first pass prunes
#          them while the jobs fire (100,000 gives the issue's 1,000,000 attempts).

# sql DB QUERY: one value from the daemon's database (read-only, WAL: never blocks the daemon).
soak_sql() { sqlite3 -cmd '.timeout 10000' "file:$1?mode=ro" "$2"; }

bench_soak() {
    command -v sqlite3 >/dev/null || die "soak needs the sqlite3 shell (Debian: sqlite3)"
    local dir="$scratch/soak" i seconds interval=10
    mkdir -p "$dir/jobs"
    for ((i = 0; i < soak_jobs; i++)); do
        printf 'schedule: "@every 1s"\ntasks:\n  a: { command: [/bin/true] }\n' > "$dir/jobs/soak-$(printf '%03d' "$i").yaml"
    done
    printf 'keep: { runs: 50, days: 90 }\n' > "$dir/gnomon.yaml"
    local db="$dir/home/gnomon.db"
    if ((soak_backlog > 0)); then
        [ -x "$gbench" ] || die "--soak-backlog needs gnomon-bench ($gbench); run without --no-build"
        say "soak: writing a backlog of $soak_backlog runs with 10 attempts each"
        "$gbench" filldb "$dir/home" "$soak_backlog" 10 >&2
    fi
    seconds=$(( (soak_runs + soak_jobs - 1) / soak_jobs ))
    say "soak: $soak_jobs every-second jobs for about $seconds s ($soak_runs runs), keep 50 runs each, pruning every 30 s"
    "$gnomon" daemon --jobs "$dir/jobs" --home "$dir/home" --log-level info --prune-every 30s 2>"$dir/daemon.log" &
    daemon_pid=$!
    local waited=0
    until [ -s "$dir/home/daemon.pid" ]; do
        sleep 0.1; waited=$((waited + 1))
        kill -0 "$daemon_pid" 2>/dev/null || { cat "$dir/daemon.log" >&2; die "the daemon exited at start"; }
        ((waited < 600)) || die "the daemon did not start within 60 s"
    done
    local start since now runs rss dbmb walmb late cpu0 cpu1
    start=$(date +%s)
    since=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%S.000Z)
    cpu0=$(cpu_seconds "$daemon_pid")
    printf '%6s %8s %8s %8s %8s %14s %14s\n' "t_s" "runs" "rss_MB" "db_MB" "wal_MB" "decided_ms" "started_ms" | tee "$dir/curve" >&2
    : > "$dir/samples"
    while :; do
        sleep "$interval"
        now=$(date +%s)
        kill -0 "$daemon_pid" 2>/dev/null || { tail -20 "$dir/daemon.log" >&2; die "the daemon died during the soak"; }
        runs=$(soak_sql "$db" "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0)")
        ((soak_backlog > 0)) && runs=$((runs - soak_backlog))
        rss=$(rss_mb "$daemon_pid")
        dbmb=$(awk -v b="$(stat -c %s "$db")" 'BEGIN { printf "%.1f", b / 1048576 }')
        walmb=$(awk -v b="$(stat -c %s "$db-wal" 2>/dev/null || echo 0)" 'BEGIN { printf "%.1f", b / 1048576 }')
        # Lateness of the fire times decided, and of the runs started, since the last sample (in ms).
        late=$(soak_sql "$db" "
            WITH d AS (SELECT (julianday(decided_at) - julianday(fire_time)) * 86400000 AS ms FROM ticks
                       WHERE decided_at >= '$since' AND job LIKE 'soak-%'),
                 s AS (SELECT (julianday(started_at) - julianday(scheduled_at)) * 86400000 AS ms FROM runs
                       WHERE created_at >= '$since' AND job LIKE 'soak-%' AND started_at IS NOT NULL)
            SELECT printf('%.0f/%.0f %.0f/%.0f',
              (SELECT ms FROM d ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM d)), (SELECT max(ms) FROM d),
              (SELECT ms FROM s ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM s)), (SELECT max(ms) FROM s))")
        since=$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%S.000Z)
        printf '%6d %8d %8s %8s %8s %14s %14s\n' $((now - start)) "$runs" "$rss" "$dbmb" "$walmb" "${late% *}" "${late#* }" \
            | tee -a "$dir/curve" >&2
        echo "$((now - start)) $runs $rss $dbmb $walmb ${late% *} ${late#* }" >> "$dir/samples"
        ((runs >= soak_runs)) && break
    done
    cpu1=$(cpu_seconds "$daemon_pid")
    stop_daemon
    local pruned
    pruned=$(grep -c "pruned history" "$dir/daemon.log" || true)
    # Flat: the last quarter's maximum against the first quarter's (after the first sample, which
    # is still starting up).
    local n q rss_first rss_last db_first db_last late_max start_max
    n=$(wc -l < "$dir/samples"); q=$(( n / 4 > 0 ? n / 4 : 1 ))
    rss_first=$(sed -n "2,$((q + 1))p" "$dir/samples" | awk '{ if ($3 > m) m = $3 } END { print m + 0 }')
    rss_last=$(tail -n "$q" "$dir/samples" | awk '{ if ($3 > m) m = $3 } END { print m + 0 }')
    db_first=$(sed -n "2,$((q + 1))p" "$dir/samples" | awk '{ v = $4 + $5; if (v > m) m = v } END { print m + 0 }')
    db_last=$(tail -n "$q" "$dir/samples" | awk '{ v = $4 + $5; if (v > m) m = v } END { print m + 0 }')
    late_max=$(awk '{ split($6, a, "/"); if (a[2] + 0 > m) m = a[2] + 0 } END { print m + 0 }' "$dir/samples")
    start_max=$(awk '{ split($7, a, "/"); if (a[2] + 0 > m) m = a[2] + 0 } END { print m + 0 }' "$dir/samples")
    local label="soak, $soak_runs runs of $soak_jobs every-second jobs, keep 50 each"
    ((soak_backlog > 0)) && label="$label, a backlog of $soak_backlog runs pruned meanwhile"
    row "$label: resident memory, first quarter max -> last quarter max" "${rss_first} -> ${rss_last} MB" "-" \
        "$(awk -v a="$rss_last" -v b="$rss_first" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')" "<= 1.2" \
        "$(verdict "$(awk -v a="$rss_last" -v b="$rss_first" 'BEGIN { print (b > 0) ? a / b : 99 }')" 1.2)"
    row "$label: database file + WAL, first quarter max -> last quarter max" "${db_first} -> ${db_last} MB" "-" \
        "$(awk -v a="$db_last" -v b="$db_first" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')" "<= 1.2" \
        "$(verdict "$(awk -v a="$db_last" -v b="$db_first" 'BEGIN { print (b > 0) ? a / b : 99 }')" 1.2)"
    row "$label: fire time decided / run started, latest (ms)" "${late_max} / ${start_max} ms" "-" "-" "< 1000 ms" \
        "$(verdict "$start_max" 1000)"
    say "soak: $pruned pruning passes removed something; daemon CPU $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }') s; curve in $dir/curve"
}
