# The web UI benchmark of scripts/bench (sourced by it, not run alone). Uses from scripts/bench:
# $gnomon, $gbench, $workdir, $scratch, $runs, row, median, say, die.
#
#   ui   each page in a real headless Chromium (scripts/bench-ui.py), opened $runs times from
#        about:blank: milliseconds from navigation start until the page shows its data, with
#        the JavaScript heap and the number of elements at that moment. The pages: the overview,
#        the jobs list, a job with 100,000 runs of history (1,000,000 attempts), a run of that
#        job, a 1,000-task layered run, a 100,000-task wide run (summarised: counts and a page of
#        its tasks), and the log view of a 1 GiB log (opened at its tail).
#
# The figure is measured from the page's own navigation start, so it includes the server's
# answers, the scripts and the drawing; the readiness is polled every 10 ms over WebDriver, so a
# figure can be a poll late (up to about 20 ms), never early.

ui_history_runs=100000 ui_per_run=10

bench_ui() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
        || die "the ui benchmark needs chromium and chromium-driver (scripts/setup installs them)"
    command -v curl >/dev/null || die "the ui benchmark needs curl (Debian: curl)"
    local home="$workdir/ui-${ui_history_runs}x${ui_per_run}x1"
    if [ ! -s "$home/gnomon.db" ] || [ ! -e "$home/complete" ]; then
        say "generating $ui_history_runs runs of one job with $ui_per_run attempts each in $home (once)"
        rm -rf "$home"
        "$gbench" filldb "$home" "$ui_history_runs" "$ui_per_run" 1 >&2
        touch "$home/complete"
    fi
    local dir="$scratch/ui"
    mkdir -p "$dir/jobs"
    # job-00 is the history's job, due once a year so that nothing fires while pages are timed.
    printf 'schedule: { cron: "0 0 1 1 *", timezone: UTC }\ntasks:\n  a: { command: [/bin/true] }\n' > "$dir/jobs/job-00.yaml"
    "$gbench" dag layered 1000 "$dir/dag" >/dev/null
    cp "$dir/dag/jobs/layered.yaml" "$dir/jobs/layered.yaml"
    "$gbench" dag wide 100000 "$dir/wide" >/dev/null
    cp "$dir/wide/jobs/wide.yaml" "$dir/jobs/wide.yaml"
    # 1 GiB of 100-byte lines.
    printf 'tasks:\n  write:\n    run: yes "%s" | head -c 1073741824\n' "$(printf 'x%.0s' $(seq 1 99))" > "$dir/jobs/biglog.yaml"
    serve_daemon "$home" "$dir/jobs" "$dir/daemon.log"
    local url=$served_url token=$served_token
    local layered biglog wide
    layered=$(api_trigger "$url" "$token" layered)
    wide=$(api_trigger "$url" "$token" wide)
    biglog=$(api_trigger "$url" "$token" biglog)
    api_wait "$url" "$token" "$layered" 0.1 6000
    api_wait "$url" "$token" "$biglog" 0.1 6000
    api_wait "$url" "$token" "$wide" 0.2 6000
    say "ui: run $layered (1,000 tasks), run $wide (100,000 tasks) and run $biglog (1 GiB log) succeeded; timing pages"
    local ready_run="document.querySelector('main[data-ready=yes]') !== null"
    local ready_log="$ready_run && document.querySelector('#log-status') !== null && !document.querySelector('#log-status').textContent.includes('opening') && document.querySelector('#log').textContent.length > 0"
    python3 scripts/bench-ui.py "$url" "$token" "$runs" \
        "overview=/=document.querySelector('#failures') !== null" \
        "jobs=/jobs=document.querySelector('tr[data-job=layered]') !== null" \
        "job-100000-runs=/jobs/job-00=document.querySelector('#grid table tbody tr') !== null && document.querySelector('#ticks h2') !== null" \
        "run-of-that-history=/runs/$ui_history_runs=$ready_run" \
        "run-1000-tasks=/runs/$layered=$ready_run" \
        "run-100000-tasks=/runs/$wide=$ready_run && document.querySelectorAll('#tasks tbody tr').length === 100" \
        "log-1GiB=/runs/$biglog?task=write=$ready_log" > "$dir/pages" || die "the browser benchmark failed"
    local name file med low high heap nodes
    for name in overview jobs job-100000-runs run-of-that-history run-1000-tasks run-100000-tasks log-1GiB; do
        file="$dir/ms-$name"
        awk -v n="$name" '$1 == n { print $2 }' "$dir/pages" > "$file"
        med=$(median < "$file"); low=$(sort -g "$file" | head -1); high=$(sort -g "$file" | tail -1)
        heap=$(awk -v n="$name" '$1 == n { print $3 }' "$dir/pages" | sort -g | tail -1)
        nodes=$(awk -v n="$name" '$1 == n { print $4 }' "$dir/pages" | sort -g | tail -1)
        row "UI page $name ready (median of $runs; min-max)" "$(printf '%.0f ms (%.0f-%.0f)' "$med" "$low" "$high")" "-" "-" \
            "responsive" "heap <= $heap MiB, $nodes elements"
        say "ui: $name median $med ms, min $low, max $high; heap up to $heap MiB; $nodes elements"
    done
    unserve_daemon
}
