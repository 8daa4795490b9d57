# The notifications benchmark of scripts/bench (sourced by it, not run alone). Uses from
# scripts/bench and scripts/bench-daemon.sh: $gnomon, $scratch, row, verdict, median, percentile,
# say, die, start_daemon, stop_daemon, cpu_seconds.
#
#   notify   1,000 job files `* * * * *` whose task fails, for one minute, twice: with a webhook
#            alerting every failure to a local receiver, and without alerts. Each alert's
#            latency (its run's end, as recorded, to the receiver's arrival), and what the
#            notifier costs the runs (the last start after the minute, the daemon's CPU).

# A receiver that answers 200 and writes "ARRIVAL_NS EVENT_ID" per request.
notify_receiver() {
    local dir=$1
    cat > "$dir/receiver.py" <<'PY'
import http.server, json, sys, time
out = open(sys.argv[1], "a", buffering=1)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        out.write("%d %s\n" % (time.time_ns(), json.loads(body).get("event_id")))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
class Server(http.server.ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops the connections of a burst, which then wait a
    # second for TCP to try again: the receiver, not the sender, would be measured.
    request_queue_size = 1024
server = Server(("127.0.0.1", 0), Handler)
open(sys.argv[2], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
    python3 "$dir/receiver.py" "$dir/arrivals" "$dir/port" &
    receiver_pid=$!
    for ((w = 0; w < 100; w++)); do [ -s "$dir/port" ] && break; sleep 0.05; done
    [ -s "$dir/port" ] || die "the notify benchmark's receiver did not start"
}

# notify_minute DIR [CONFIG]: one counted minute of 1,000 failing every-minute jobs; writes
# DIR/figures: "LATE_S CPU_S RUNS" (the last run's start after the minute, the daemon's CPU over
# the minute and 10 s after it, the runs started for that minute).
notify_minute() {
    local dir=$1 config=${2:-} i now boundary cpu0 cpu1
    mkdir -p "$dir/jobs"
    for ((i = 0; i < 1000; i++)); do
        printf 'schedule: "* * * * *"\ntasks:\n  a: { command: [/bin/false] }\n' > "$dir/jobs/job-$(printf '%04d' "$i").yaml"
    done
    local extra=()
    [ -n "$config" ] && extra=(--config "$config")
    "$gnomon" daemon --jobs "$dir/jobs" --home "$dir/home" --log-level warning "${extra[@]}" 2>"$dir/daemon.log" &
    daemon_pid=$!
    for ((w = 0; w < 600; w++)); do [ -s "$dir/home/daemon.pid" ] && break; sleep 0.1; done
    sleep 2
    now=$(date +%s)
    boundary=$(( (now / 60 + 1) * 60 ))
    sleep $(( boundary - now ))
    cpu0=$(cpu_seconds "$daemon_pid")
    sleep 70
    cpu1=$(cpu_seconds "$daemon_pid")
    stop_daemon
    local minute
    minute=$(date -u -d "@$boundary" +%Y-%m-%dT%H:%M)
    sqlite3 "$dir/home/gnomon.db" "SELECT count(*), max(julianday(started_at) - julianday(scheduled_at)) * 86400
        FROM runs WHERE scheduled_at LIKE '$minute%'" | awk -F'|' -v c="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" \
        '{ printf "%.2f %.2f %d\n", $2, c, $1 }' > "$dir/figures"
    echo "$minute" > "$dir/minute"
}

bench_notify() {
    command -v python3 >/dev/null && command -v sqlite3 >/dev/null || die "the notify benchmark needs python3 and sqlite3"
    local off="$scratch/notify-off" on="$scratch/notify-on"
    mkdir -p "$off" "$on"
    notify_receiver "$on"
    cat > "$on/gnomon.yaml" <<YAML
channels:
  hook: { webhook: { url: "http://127.0.0.1:$(cat "$on/port")/hook" } }
notify:
  - { to: [hook], on: [failure], repeat: every_failure }
YAML
    say "notify: one minute of 1,000 failing jobs without alerts, then one with a webhook for each failure"
    notify_minute "$off"
    notify_minute "$on" "$on/gnomon.yaml"
    sleep 5   # deliveries still under way after the daemon stopped are not counted
    kill "$receiver_pid" 2>/dev/null || true
    wait "$receiver_pid" 2>/dev/null || true

    # Each alert's latency: from its run's end (the run_finished event's time) to its arrival.
    local minute
    minute=$(cat "$on/minute")
    sqlite3 -separator ' ' "$on/home/gnomon.db" "SELECT id, (julianday(at) - 2440587.5) * 86400.0 FROM events
        WHERE type = 'run_finished' AND at >= '$minute'" > "$on/events"
    awk 'NR == FNR { at[$1] = $2; next } ($2 in at) { printf "%.3f\n", $1 / 1e9 - at[$2] }' "$on/events" "$on/arrivals" \
        | sort -g > "$on/latency"
    local count med p99 worst
    count=$(wc -l < "$on/latency")
    med=$(median < "$on/latency"); p99=$(percentile 99 < "$on/latency"); worst=$(tail -1 "$on/latency")
    row "1,000 failing runs in a minute: alerts delivered, event to receiver median / p99 / max" \
        "$count alerts, ${med} / ${p99} / ${worst} s" "-" "-" "every one < 5 s" "$(verdict "$worst" 5)"
    read -r late_off cpu_off runs_off < "$off/figures"
    read -r late_on cpu_on runs_on < "$on/figures"
    row "the same minute without alerts / with: runs started, last start after the minute, daemon CPU" \
        "with: $runs_on runs, ${late_on} s, ${cpu_on} s CPU" "without: $runs_off runs, ${late_off} s, ${cpu_off} s CPU" "-" "no measurable cost" "-"
    say "notify: $count alerts, latency median $med s, p99 $p99 s, max $worst s; with alerts $late_on s late, $cpu_on s CPU; without $late_off s, $cpu_off s"
}
