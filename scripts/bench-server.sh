# The HTTP server benchmarks of scripts/bench (sourced by it, not run alone). Uses from
# scripts/bench: $gnomon, $gbench, $workdir, $scratch, $requests, row, verdict, median,
# percentile, say, die.
#
#   runs      GET /api/v1/runs?limit=50 on 100,000 runs / 1,000,000 attempts       (target < 50 ms)
#   run       GET /api/v1/runs/ID, the newest and one from the middle of the history (target < 50 ms)
#   metrics   GET /metrics with 1,000 job files, every one with history          (target < 20 ms)
#   seed      how long the daemon took to add up the metrics' totals over the history (context)
#   events    100 event-stream clients following a 1,000-task run: the daemon's CPU for them and
#             the run's wall time against the same run without clients (bench_server_events)
#
# Each figure is $requests requests (default 50) after 5 untimed ones, timed by curl itself
# (time_total: connect to last byte, without curl's own start-up), reported as median with p10,
# p90, min and max; the verdict is on p90, so a figure is met only when 9 requests in 10 are.

# The history: the same 100,000 runs of 10 attempts as `history`, spread over 1,000 jobs (100
# runs each), so that /metrics shows 1,000 jobs with counters and a duration histogram each.
server_history_runs=100000 server_per_run=10 server_jobs=1000

# server_jobs_folder DIR: the 1,000 job files, named as gnomon-bench filldb names its jobs
# (job-00 ... job-999), due once a year so that nothing fires while the figures are taken;
# every tenth paused.
server_jobs_folder() {
    local dir=$1 i name
    mkdir -p "$dir"
    for ((i = 0; i < server_jobs; i++)); do
        name=$(printf 'job-%02d' "$i")
        {
            printf 'schedule: { cron: "0 0 1 1 *", timezone: UTC }\n'
            ((i % 10 == 9)) && printf 'paused: true\n'
            printf 'tasks:\n  a: { command: [/bin/true] }\n'
        } > "$dir/$name.yaml"
    done
}

# curl_times FILE URL: $requests timed GETs (after 5 untimed) with the API token, one
# milliseconds figure per line in FILE. Fails on a status other than 200.
curl_times() {
    local out=$1 url=$2 i code
    : > "$out"
    for ((i = 0; i < 5 + requests; i++)); do
        code=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $server_token" "$url") \
            || die "curl $url failed"
        [ "${code%% *}" = 200 ] || die "GET $url answered ${code%% *}"
        ((i < 5)) || awk -v t="${code#* }" 'BEGIN { printf "%.3f\n", t * 1000 }' >> "$out"
    done
}

# server_row FIGURE FILE TARGET_MS: a row with the median and spread of FILE's milliseconds.
server_row() {
    local figure=$1 file=$2 target=$3 med p10 p90 low high
    med=$(median < "$file"); p10=$(percentile 10 < "$file"); p90=$(percentile 90 < "$file")
    low=$(sort -g "$file" | head -1); high=$(sort -g "$file" | tail -1)
    row "$figure (median of $requests; p10-p90, min-max)" \
        "$(printf '%.1f ms (%.1f-%.1f; %.1f-%.1f)' "$med" "$p10" "$p90" "$low" "$high")" "-" "-" \
        "< $target ms (p90)" "$(verdict "$p90" "$target")"
    say "server: $figure median $med ms, p10 $p10, p90 $p90, min $low, max $high"
}

bench_server() {
    command -v curl >/dev/null || die "the server benchmark needs curl (Debian: curl)"
    if ! "$gnomon" daemon --help 2>/dev/null | grep -q -- '--listen'; then
        row "server figures" "not measured" "-" "-" "see target" "gnomon daemon has no --listen in this build"
        return 0
    fi
    local home="$workdir/server-${server_history_runs}x${server_per_run}x${server_jobs}"
    if [ ! -s "$home/gnomon.db" ] || [ ! -e "$home/complete" ]; then
        say "generating $server_history_runs runs of $server_jobs jobs with $server_per_run attempts each in $home (once; a minute or two)"
        rm -rf "$home"
        "$gbench" filldb "$home" "$server_history_runs" "$server_per_run" "$server_jobs" >&2
        touch "$home/complete"
    fi
    local dir="$scratch/server"
    mkdir -p "$dir"
    server_jobs_folder "$dir/jobs"
    serve_daemon "$home" "$dir/jobs" "$dir/daemon.log"
    local url=$served_url pid=$served_pid waited
    server_token=$served_token
    # The totals over the history are added up once, in the background, when the server starts;
    # wait for that (its log line) so that the first scrapes do not wait for it instead.
    for ((waited = 0; waited < 600; waited++)); do
        grep -q "history's totals added up" "$dir/daemon.log" && break
        sleep 0.1
    done
    local seed
    seed=$(grep "history's totals added up" "$dir/daemon.log" | grep -o 'took=[0-9.]* [a-z]*' | head -1 || true)
    row "metrics totals over 100,000 runs / 1,000,000 attempts, once at start (context)" "${seed#took=}" "-" "-" "-" \
        "$([ -n "$seed" ] && echo "logged" || echo "not in the daemon's log")"

    curl_times "$dir/runs" "$url/api/v1/runs?limit=50"
    server_row "GET /api/v1/runs?limit=50, 100,000 runs" "$dir/runs" 50
    curl_times "$dir/run-newest" "$url/api/v1/runs/$server_history_runs"
    server_row "GET /api/v1/runs/ID (newest), 10 attempts" "$dir/run-newest" 50
    curl_times "$dir/run-middle" "$url/api/v1/runs/$((server_history_runs / 2))"
    server_row "GET /api/v1/runs/ID (middle of the history)" "$dir/run-middle" 50
    curl_times "$dir/metrics" "$url/metrics"
    local bytes
    bytes=$(curl -s -H "Authorization: Bearer $server_token" "$url/metrics" | wc -c)
    server_row "GET /metrics, $server_jobs jobs ($((bytes / 1024)) KiB)" "$dir/metrics" 20

    unserve_daemon

    bench_server_events
}

# events: 100 clients of GET /api/v1/events?job=wide&logs=1 following a 1,000-task wide run of
# /bin/true on a home of its own, against the same run with no clients, in rounds
# ($server_event_pairs, default 5) of three runs: none, gzip clients (what browsers ask for) and
# uncompressed clients, in a rotating order. Per run: its wall time as the run records it and the
# daemon's CPU (utime + stime from /proc/PID/stat). The clients are curl processes on the same
# two cores that only receive (server_clients_run); their own CPU, which the run competes with
# here but would not with browsers elsewhere, is reported beside. The daemon's cost is its extra
# CPU over the run's wall time, as a share of one core (target < 10%); the wall-time ratio
# with/without is the median of the rounds (target within 5%).
server_event_pairs=${server_event_pairs:-5}
# How many clients follow the run (100 is the issue's figure; fewer or more to see what costs).
server_event_clients=${server_event_clients:-100}

# server_cpu PID: the process's user + system CPU in clock ticks.
server_cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# clients_cpu PID...: the processes' time on a CPU together, in nanoseconds, from each thread's
# schedstat: /proc/PID/stat counts whole clock ticks per process, and a client's share of a run
# is well under one tick (100 of them rounded to 0).
clients_cpu() {
    local pid
    for pid in "$@"; do cat /proc/"$pid"/task/*/schedstat 2>/dev/null; done | awk '{ t += $1 } END { printf "%d\n", t }'
}

# server_timed_run URL PID OUT: triggers `wide`, waits for success; appends "wall_s cpu_s" to OUT:
# the run's own wall time as recorded (its started_at to its finished_at, in milliseconds), and
# the daemon's CPU from the trigger until the run was seen succeeded (polled every 0.2 s).
server_timed_run() {
    local url=$1 pid=$2 out=$3 id c0 c1 hz
    hz=$(getconf CLK_TCK)
    c0=$(server_cpu "$pid")
    id=$(api_trigger "$url" "$server_token" wide)
    api_wait "$url" "$server_token" "$id" 0.2 3000
    c1=$(server_cpu "$pid")
    api_run "$url" "$server_token" "$id" | python3 -c '
import json, sys
from datetime import datetime
run = json.load(sys.stdin)["runs"][0]
parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))
wall = (parse(run["finished_at"]) - parse(run["started_at"])).total_seconds()
print(f"{wall:.3f} {(int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[3]):.3f}")' "$c0" "$c1" "$hz" >> "$out"
}

# server_clients_run URL PID DIR ENCODING: one timed run with $server_event_clients clients
# following it, each asking for ENCODING (gzip: `Accept-Encoding: gzip`, as every browser's
# EventSource asks; identity: plain text); appends to DIR/with-ENCODING and
# DIR/clients-cpu-ENCODING. The clients stand for browsers on other machines: one curl process
# holds every connection but one (`--parallel`, each its own transfer and answer), takes the
# bytes off the sockets and drops them (decoding and drawing happen on the browser's machine, not
# on the daemon's); client 0, a curl of its own, decodes its stream into a file that is checked.
# So the load generator's own CPU on these two cores is as small as it can be, and reported.
server_clients_run() {
    local url=$1 pid=$2 dir=$3 encoding=$4 client i clients=() compressed=() raw=() transfers=()
    [ "$encoding" = gzip ] && compressed=(--compressed) raw=(-H "Accept-Encoding: gzip")
    rm -f "$dir"/client-* "$dir"/head-*
    curl -s -N "${compressed[@]}" -H "Authorization: Bearer $server_token" "$url/api/v1/events?job=wide&logs=1" > "$dir/client-0" &
    clients+=($!)
    for ((client = 1; client < server_event_clients; client++)); do
        ((client == 1)) || transfers+=(--next)
        transfers+=(-s -N "${raw[@]}" -D "$dir/head-$client" -o /dev/null
                    -H "Authorization: Bearer $server_token" "$url/api/v1/events?job=wide&logs=1")
    done
    if ((server_event_clients > 1)); then
        # (its parallel progress meter goes to stderr whatever -s says)
        curl -s --parallel --parallel-immediate --parallel-max "$server_event_clients" "${transfers[@]}" 2>/dev/null &
        clients+=($!)
    fi
    # The clients are connected (each has had its answer's head) before the run starts.
    for ((i = 0; i < 200; i++)); do
        [ "$(grep -l '^HTTP/1.1 200' "$dir"/head-* 2>/dev/null | wc -l)" -ge $((server_event_clients - 1)) ] \
            && grep -q 'retry:' "$dir/client-0" 2>/dev/null && break
        sleep 0.05
    done
    local c0 c1
    c0=$(clients_cpu "${clients[@]}")
    server_timed_run "$url" "$pid" "$dir/with-$encoding"
    c1=$(clients_cpu "${clients[@]}")
    echo "$c0 $c1" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 }' >> "$dir/clients-cpu-$encoding"
    # The run's last events reach the clients with the poller's next read (within 0.2 s).
    for ((i = 0; i < 100; i++)); do
        grep -q '^event: run_finished' "$dir/client-0" 2>/dev/null && break
        sleep 0.05
    done
    kill "${clients[@]}" 2>/dev/null || true
    wait "${clients[@]}" 2>/dev/null || true
    local events
    events=$(grep -c '^id:' "$dir/client-0" || true)
    [ "$events" -ge 3000 ] || die "an event client ($encoding) saw $events events of a 1,000-task run (3 or more a task expected)"
    say "server events: $encoding clients: client 0 saw $events events ($(wc -c < "$dir/client-0") bytes decoded)"
}

# server_events_rows ENCODING: the rows of the runs with ENCODING clients against the runs without.
server_events_rows() {
    local encoding=$1 dir="$scratch/server-events" label
    label=$([ "$encoding" = gzip ] && echo "gzip, as browsers ask" || echo "uncompressed")
    paste -d' ' "$dir/without" "$dir/with-$encoding" | awk '{ print $3 / $1 }' > "$dir/ratio-$encoding"
    paste -d' ' "$dir/without" "$dir/with-$encoding" | awk '{ print 100 * ($4 - $2) / $3 }' > "$dir/share-$encoding"
    local ratio low high share slow shigh
    ratio=$(median < "$dir/ratio-$encoding"); low=$(sort -g "$dir/ratio-$encoding" | head -1); high=$(sort -g "$dir/ratio-$encoding" | tail -1)
    share=$(median < "$dir/share-$encoding"); slow=$(sort -g "$dir/share-$encoding" | head -1); shigh=$(sort -g "$dir/share-$encoding" | tail -1)
    row "1,000-task run wall time, $server_event_clients event clients ($label) / none (median of $server_event_pairs; min-max)" \
        "$(printf '%.3f (%.3f-%.3f)' "$ratio" "$low" "$high")" "-" "$ratio" "<= 1.05" "$(verdict "$ratio" 1.05)"
    paste -d' ' "$dir/with-$encoding" "$dir/clients-cpu-$encoding" | awk '{ print 100 * $3 / $1 }' > "$dir/clients-share-$encoding"
    local cshare clow chigh
    cshare=$(median < "$dir/clients-share-$encoding"); clow=$(sort -g "$dir/clients-share-$encoding" | head -1); chigh=$(sort -g "$dir/clients-share-$encoding" | tail -1)
    row "the $server_event_clients curl clients' own CPU during the run ($label), share of a core (context: same 2 cores)" \
        "$(printf '%.1f%% (%.1f-%.1f)' "$cshare" "$clow" "$chigh")" "-" "-" "-" "context"
    row "daemon CPU for $server_event_clients event clients ($label), share of a core (median; min-max)" \
        "$(printf '%.1f%% (%.1f-%.1f)' "$share" "$slow" "$shigh")" "-" "-" "< 10%" "$(verdict "$share" 10)"
}

bench_server_events() {
    local dir="$scratch/server-events" round step encodings=(gzip identity)
    mkdir -p "$dir/jobs" "$dir/home"
    # Its own home, so that these runs of 1,000 tasks do not join the history the figures above
    # are taken on (a later sitting would list them among the newest runs).
    "$gbench" dag wide 1000 "$dir/dag" >/dev/null
    cp "$dir/dag/jobs/wide.yaml" "$dir/jobs/wide.yaml"
    serve_daemon "$dir/home" "$dir/jobs" "$dir/daemon.log"
    local url=$served_url pid=$served_pid
    server_token=$served_token
    : > "$dir/without"
    for encoding in "${encodings[@]}"; do : > "$dir/with-$encoding"; : > "$dir/clients-cpu-$encoding"; done
    # One untimed run first, so neither side pays for a cold start.
    server_timed_run "$url" "$pid" "$dir/warm"
    for ((round = 0; round < server_event_pairs; round++)); do
        # Each round: a run without clients, one with gzip clients and one with uncompressed
        # clients, in an order that rotates, so a slow moment of the machine hits each alike.
        for ((step = 0; step < 3; step++)); do
            case $(((round + step) % 3)) in
                0) server_timed_run "$url" "$pid" "$dir/without" ;;
                1) server_clients_run "$url" "$pid" "$dir" gzip ;;
                2) server_clients_run "$url" "$pid" "$dir" identity ;;
            esac
        done
        say "server events: round $((round + 1)): without $(tail -1 "$dir/without"), gzip clients $(tail -1 "$dir/with-gzip"), uncompressed clients $(tail -1 "$dir/with-identity") (wall s, daemon cpu s)"
    done
    for encoding in "${encodings[@]}"; do server_events_rows "$encoding"; done
    unserve_daemon
}
