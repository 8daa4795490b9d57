# The daemon benchmarks of scripts/bench (sourced by it, not run alone). Uses from scripts/bench:
# $gnomon, $stamp, $scratch, $minutes, row, verdict, median, percentile, now_ns, say, die.
#
#   trigger   `gnomon trigger` to the first task's start, daemon idle (9 triggers, median)
#   minute    1,000 job files `* * * * *`: runs started per minute, resident memory
#   idle      1,000 job files due once a year: CPU per minute, resident memory

# start_daemon HOME JOBS LOG: starts a daemon in the background, waits until it has written its
# pid file and looked at its jobs; sets $daemon_pid.
start_daemon() {
    local home=$1 jobs=$2 log=$3 waited=0
    "$gnomon" daemon --jobs "$jobs" --home "$home" --log-level warning 2>"$log" &
    daemon_pid=$!
    while [ ! -s "$home/daemon.pid" ]; do
        sleep 0.1
        waited=$((waited + 1))
        kill -0 "$daemon_pid" 2>/dev/null || { cat "$log" >&2; die "the daemon exited at start"; }
        ((waited < 600)) || die "the daemon did not start within 60 s"
    done
}

stop_daemon() {
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
}

# CPU seconds (user+system) the process has used: /proc/PID/stat fields 14 and 15, in clock ticks.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
peak_rss_mb() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# many_jobs DIR COUNT CRON: COUNT job files with that schedule and one task running /bin/true.
many_jobs() {
    local dir=$1 count=$2 cron=$3 i
    mkdir -p "$dir"
    for ((i = 0; i < count; i++)); do
        printf 'schedule: "%s"\ntasks:\n  a: { command: [/bin/true] }\n' "$cron" > "$dir/job-$(printf '%04d' "$i").yaml"
    done
}

bench_daemon_trigger() {
    local dir="$scratch/daemon-trigger" i run t0 log stampns
    mkdir -p "$dir/jobs"
    printf 'tasks:\n  first: { command: ["%s", "first"] }\n' "$stamp" > "$dir/jobs/poke.yaml"
    start_daemon "$dir/home" "$dir/jobs" "$dir/daemon.log"
    sleep 3   # let it settle: idle means nothing due, nothing running
    : > "$dir/latency"
    for ((i = 1; i <= 9; i++)); do
        t0=$(now_ns)
        run=$("$gnomon" trigger poke --jobs "$dir/jobs" --home "$dir/home") || die "gnomon trigger failed"
        run=$(printf '%s' "$run" | grep -o '[0-9][0-9]*' | head -1)
        log="$dir/home/logs/poke/$run/first.1.log"
        for ((w = 0; w < 100; w++)); do [ -s "$log" ] && break; sleep 0.05; done
        [ -s "$log" ] || die "run $run of poke did not start within 5 s"
        stampns=$(awk '{ print $2 }' "$log")
        awk -v a="$t0" -v b="$stampns" 'BEGIN { printf "%.2f\n", (b - a) / 1e6 }' >> "$dir/latency"
        sleep 1
    done
    stop_daemon
    local med low high
    med=$(median < "$dir/latency"); low=$(sort -g "$dir/latency" | head -1); high=$(sort -g "$dir/latency" | tail -1)
    row "gnomon trigger to the first task started, daemon idle (median of 9)" "${med} ms (${low}-${high})" "-" "-" "< 100 ms" "$(verdict "$med" 100)"
    say "daemon trigger: median $med ms ($low-$high)"
}

bench_daemon_minute() {
    local dir="$scratch/daemon-minute" start boundary end now rss=0 sample
    many_jobs "$dir/jobs" 1000 "* * * * *"
    start_daemon "$dir/home" "$dir/jobs" "$dir/daemon.log"
    # The first minute that starts after the daemon has loaded its jobs is the first one counted.
    sleep 2
    now=$(date +%s)
    boundary=$(( (now / 60 + 1) * 60 ))
    end=$(( boundary + minutes * 60 ))
    local cpu0 cpu1
    sleep $(( boundary - now ))
    cpu0=$(cpu_seconds "$daemon_pid")
    while (( $(date +%s) < end + 5 )); do
        sample=$(rss_mb "$daemon_pid")
        rss=$(awk -v a="$rss" -v b="$sample" 'BEGIN { print (b > a) ? b : a }')
        sleep 5
    done
    cpu1=$(cpu_seconds "$daemon_pid")
    local peak
    peak=$(peak_rss_mb "$daemon_pid")
    stop_daemon
    # Runs per scheduled minute, and how late after the minute the last of them started.
    local from to
    from=$(date -u -d "@$boundary" +%Y-%m-%dT%H:%M:%S)
    to=$(date -u -d "@$((end - 60))" +%Y-%m-%dT%H:%M:%S)
    sqlite3 -cmd '.timeout 10000' "$dir/home/gnomon.db" "
        SELECT substr(scheduled_at, 1, 16), count(started_at),
               round(max(julianday(started_at) - julianday(scheduled_at)) * 86400, 2)
        FROM runs WHERE trigger = 'schedule' AND scheduled_at >= '$from' AND scheduled_at <= '${to}.999Z'
        GROUP BY 1 ORDER BY 1" > "$dir/per-minute"
    cat "$dir/per-minute" >&2
    local fewest latest cpu_min
    fewest=$(awk -F'|' 'NR == 1 || $2 < m { m = $2 } END { print m + 0 }' "$dir/per-minute")
    latest=$(awk -F'|' '$3 > m { m = $3 } END { print m + 0 }' "$dir/per-minute")
    cpu_min=$(awk -v a="$cpu0" -v b="$cpu1" -v m="$minutes" 'BEGIN { printf "%.2f", (b - a) / m }')
    local ok="met"
    if (( fewest < 1000 )) || (( $(wc -l < "$dir/per-minute") < minutes )); then ok="NOT met"; fi
    row "1,000 jobs \`* * * * *\`: runs started in each of $minutes minutes (fewest)" "$fewest (last start ${latest}s after the minute; cpu ${cpu_min}s/min)" "-" "-" "1,000 every minute" "$ok"
    row "1,000 jobs \`* * * * *\`: resident memory (peak)" "${peak} MB" "-" "-" "< 100 MB" "$(verdict "$peak" 100)"
    say "daemon minute: fewest $fewest runs in a minute, last start ${latest}s late, peak RSS $peak MB, ${cpu_min}s CPU/min"
}

bench_daemon_idle() {
    local dir="$scratch/daemon-idle" cpu0 cpu1 rss
    many_jobs "$dir/jobs" 1000 "0 0 1 1 *"
    start_daemon "$dir/home" "$dir/jobs" "$dir/daemon.log"
    sleep 10   # loading the files is not idling
    cpu0=$(cpu_seconds "$daemon_pid")
    sleep 60
    cpu1=$(cpu_seconds "$daemon_pid")
    rss=$(rss_mb "$daemon_pid")
    stop_daemon
    local used
    used=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')
    row "idle daemon with 1,000 jobs: CPU per minute" "${used} s (${rss} MB resident)" "-" "-" "< 1 s" "$(verdict "$used" 1)"
    say "daemon idle: ${used}s CPU in 60 s, $rss MB"
}

daemon_benchmarks() {
    command -v sqlite3 >/dev/null || die "the daemon benchmark reads the database with sqlite3; run scripts/setup"
    bench_daemon_trigger
    bench_daemon_idle
    bench_daemon_minute
}
