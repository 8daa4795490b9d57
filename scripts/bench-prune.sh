# The prune benchmark of scripts/bench (sourced by it, not run alone). Uses from scripts/bench and
# scripts/bench-daemon.sh: $gnomon, $gbench, $workdir, $scratch, $prune_backlog, row, verdict, say,
# die, median, percentile, stop_daemon, rss_mb, cpu_seconds; soak_sql from scripts/bench-soak.sh.
#
#   prune  A backlog of $prune_backlog runs of 10 attempts (default 100,000: 1,000,000 attempts)
#          of 20 jobs, written once by `gnomon-bench filldb` into WORKDIR/history-Nx10 (the
#          `history` part's home when N is 100,000) and copied, is pruned by the first pass of a
#          real daemon (--prune-every 10s, keep: { runs: 10 } for every backlog job: all but 200 runs
#          are outside the policy) while a job fires every second (`@every 1s`, task /bin/true).
#          Every 5 s a line of the curve: attempts left, and the lateness of the fire times of
#          those 5 s (decided, run started: median/max). Then the rows: the time the pass took to
#          clear the backlog, attempts pruned per second, and the worst and median lateness of the
#          fire times during the pass, with the 10 s before it for reference. The backlog has no
#          log files (filldb writes none): removing them is not in the figure.

bench_prune() {
    command -v sqlite3 >/dev/null || die "prune needs the sqlite3 shell (Debian: sqlite3)"
    local cache="$workdir/history-${prune_backlog}x10"
    if [ ! -s "$cache/gnomon.db" ] || [ ! -e "$cache/complete" ]; then
        say "prune: writing a backlog of $prune_backlog runs with 10 attempts each in $cache (once; a minute or two)"
        rm -rf "$cache"
        "$gbench" filldb "$cache" "$prune_backlog" 10 >&2
        touch "$cache/complete"
    fi
    local dir="$scratch/prune" i
    mkdir -p "$dir/jobs" "$dir/home"
    chmod 700 "$dir/home"
    # No process has the cache open: its file (and WAL, if one was left) is a consistent copy.
    for i in gnomon.db gnomon.db-wal; do
        [ -e "$cache/$i" ] && cp "$cache/$i" "$dir/home/$i"
    done
    local db="$dir/home/gnomon.db"
    local attempts0
    attempts0=$(soak_sql "$db" "SELECT count(*) FROM attempts")
    # The tick job keeps all its runs: the lateness is read from them after the daemon stops (the
    # passes after the first would prune them under the default).
    printf 'schedule: "@every 1s"\nkeep: { runs: 100000, days: 90 }\ntasks:\n  a: { command: [/bin/true] }\n' > "$dir/jobs/tick.yaml"
    printf 'keep: { runs: 10, days: 90 }\n' > "$dir/gnomon.yaml"
    say "prune: $attempts0 attempts in the backlog; a daemon with an every-second job prunes them (first pass 10 s after its start)"
    "$gnomon" daemon --jobs "$dir/jobs" --home "$dir/home" --log-level info --prune-every 10s 2>"$dir/daemon.log" &
    daemon_pid=$!
    local waited=0
    # Opening may first migrate the copied database (a schema newer than the cache's).
    until [ -s "$dir/home/daemon.pid" ]; do
        sleep 0.1; waited=$((waited + 1))
        kill -0 "$daemon_pid" 2>/dev/null || { cat "$dir/daemon.log" >&2; die "the daemon exited at start"; }
        ((waited < 3000)) || die "the daemon did not start within 300 s"
    done
    local start now left late cpu0 cpu1 rss_max=0 rss since
    start=$(date +%s)
    since=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%S.000Z)
    cpu0=$(cpu_seconds "$daemon_pid")
    printf '%6s %10s %8s %14s %14s\n' "t_s" "attempts" "rss_MB" "decided_ms" "started_ms" | tee "$dir/curve" >&2
    : > "$dir/samples"
    while :; do
        sleep 5
        now=$(date +%s)
        kill -0 "$daemon_pid" 2>/dev/null || { tail -20 "$dir/daemon.log" >&2; die "the daemon died while pruning"; }
        left=$(soak_sql "$db" "SELECT count(*) FROM attempts")
        rss=$(rss_mb "$daemon_pid")
        rss_max=$(awk -v a="$rss" -v b="$rss_max" 'BEGIN { print (a > b) ? a : b }')
        late=$(prune_lateness "$db" "$since" "9999")
        since=$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%S.000Z)
        printf '%6d %10d %8s %14s %14s\n' $((now - start)) "$left" "$rss" "${late% *}" "${late#* }" | tee -a "$dir/curve" >&2
        echo "$((now - start)) $left" >> "$dir/samples"
        # The first pass has ended (its line is in the log) and 10 s of firing have followed it.
        if grep -q "pruned history" "$dir/daemon.log"; then
            [ -n "${ended_at:-}" ] || ended_at=$now
            ((now - ended_at >= 10)) && break
        fi
        ((now - start < 3600)) || die "the backlog was not pruned within an hour"
    done
    unset ended_at
    cpu1=$(cpu_seconds "$daemon_pid")
    stop_daemon
    # The first pass: its end (the log line's time) and how long it took (its `seconds`).
    local line end_time seconds pruned_attempts pruned_runs pass_start pass_end bytes_before bytes_after
    bytes_before=$(stat -c %s "$cache/gnomon.db")
    line=$(grep -m1 "pruned history" "$dir/daemon.log")
    bytes_after=$(sed -n 's/.* database_bytes=\([0-9]*\).*/\1/p' <<< "$line")
    end_time=${line%% *}
    seconds=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<< "$line")
    pruned_attempts=$(sed -n 's/.* attempts=\([0-9]*\).*/\1/p' <<< "$line")
    pruned_runs=$(sed -n 's/.* runs=\([0-9]*\).*/\1/p' <<< "$line")
    pass_end=$(date -u -d "$end_time" +%s.%N)
    pass_start=$(awk -v e="$pass_end" -v s="$seconds" 'BEGIN { printf "%.3f", e - s }')
    local iso_start iso_end before_start
    iso_start=$(date -u -d "@$pass_start" +%Y-%m-%dT%H:%M:%S.%3NZ)
    iso_end=$(date -u -d "@$pass_end" +%Y-%m-%dT%H:%M:%S.%3NZ)
    before_start=$(date -u -d "@$(awk -v s="$pass_start" 'BEGIN { printf "%.3f", s - 10 }')" +%Y-%m-%dT%H:%M:%S.%3NZ)
    # Every fire time decided during the pass, and every run started for one: their lateness.
    prune_late_list "$db" "$iso_start" "$iso_end" decided > "$dir/during.decided"
    prune_late_list "$db" "$iso_start" "$iso_end" started > "$dir/during.started"
    prune_late_list "$db" "$before_start" "$iso_start" started > "$dir/before.started"
    local n d50 dmax s50 s99 smax b50 bmax
    n=$(wc -l < "$dir/during.started")
    d50=$(median < "$dir/during.decided"); dmax=$(sort -g "$dir/during.decided" | tail -1)
    s50=$(median < "$dir/during.started"); s99=$(percentile 99 < "$dir/during.started"); smax=$(sort -g "$dir/during.started" | tail -1)
    b50=$(median < "$dir/before.started"); bmax=$(sort -g "$dir/before.started" | tail -1)
    # When the runs and attempts were gone (the rest of the pass sweeps their events and gives
    # the free pages back): the first sample at most 5 attempts above what is kept, the tick
    # job's one a second aside; to the sample's 5 s.
    local cleared
    cleared=$(awk -v kept="$((attempts0 - pruned_attempts))" -v s0="$(awk -v p="$pass_start" -v s="$start" 'BEGIN { print p - s }')" \
        '$2 - $1 <= kept + 5 { printf "%.0f", $1 - s0; exit }' "$dir/samples")
    local rate
    rate=$(awk -v a="$pruned_attempts" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0) ? a / s : 0 }')
    local label="prune, a backlog of $pruned_attempts attempts ($pruned_runs runs) while a job fires every second"
    row "$label: the first pass, start to end (its runs and attempts gone after)" "${seconds} s (${cleared:-?} s)" "-" "-" "-" "-"
    row "$label: the database file before -> after the pass" \
        "$(awk -v a="$bytes_before" -v b="$bytes_after" 'BEGIN { printf "%.0f -> %.0f MB", a / 1048576, b / 1048576 }')" "-" "-" "-" "-"
    row "$label: attempts pruned per second (the pass's pauses included)" "$rate /s" "-" "-" "-" "-"
    row "$label: run started after its fire time during the pass, median / p99 / worst ($n fire times)" \
        "$(printf '%.0f / %.0f / %.0f ms' "$s50" "$s99" "$smax")" \
        "$(printf '%.0f / %.0f ms' "$b50" "$bmax") (10 s before)" "-" "worst < 1000 ms" "$(verdict "$smax" 1000)"
    row "$label: fire time decided after it during the pass, median / worst" \
        "$(printf '%.0f / %.0f ms' "$d50" "$dmax")" "-" "-" "-" "-"
    say "prune: $pruned_attempts attempts in $seconds s ($rate/s); fire times during the pass: started median $s50 ms, p99 $s99 ms, worst $smax ms ($n); decided median $d50 ms, worst $dmax ms; daemon CPU $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }') s, peak RSS sample $rss_max MB; curve in $dir/curve"
}

# prune_lateness DB SINCE: "decided_med/max started_med/max" (ms) of the tick job's fire times
# decided, and runs started, since SINCE.
prune_lateness() {
    soak_sql "$1" "
        WITH d AS (SELECT (julianday(decided_at) - julianday(fire_time)) * 86400000 AS ms FROM ticks
                   WHERE decided_at >= '$2' AND job = 'tick'),
             s AS (SELECT (julianday(started_at) - julianday(scheduled_at)) * 86400000 AS ms FROM runs
                   WHERE job = 'tick' AND started_at >= '$2')
        SELECT printf('%.0f/%.0f %.0f/%.0f',
          (SELECT ms FROM d ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM d)), (SELECT max(ms) FROM d),
          (SELECT ms FROM s ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM s)), (SELECT max(ms) FROM s))"
}

# prune_late_list DB FROM TO decided|started: the lateness (ms) of each of the tick job's fire times
# whose fire time lies in [FROM, TO), one a line: when it was decided, or when its run started.
prune_late_list() {
    if [ "$4" = decided ]; then
        soak_sql "$1" "SELECT printf('%.1f', (julianday(decided_at) - julianday(fire_time)) * 86400000) FROM ticks
                       WHERE job = 'tick' AND fire_time >= '$2' AND fire_time < '$3'"
    else
        soak_sql "$1" "SELECT printf('%.1f', (julianday(coalesce(started_at, finished_at)) - julianday(scheduled_at)) * 86400000) FROM runs
                       WHERE job = 'tick' AND scheduled_at >= '$2' AND scheduled_at < '$3'"
    fi
}
