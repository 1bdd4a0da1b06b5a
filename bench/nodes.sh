# bench/nodes.sh: BENCH_NODES=2 for bench/run, which sources it (it uses bench/run's variables and functions).
#
# Two NanoDB servers, node A (PORT, the one-node run's server) and node B (PORT_B), share one fresh PostgreSQL
# database; realtime crosses from one to the other through the database. Node B starts once node A has answered
# /health, with the same environment, JVM flags and start-up cache, its own port and its own temporary DB_PATH;
# only node A's start-up is the reported start-up time (node B's is shown beside it).
#
# The bench's own round-robin: wrk cannot switch hosts within a thread, so each scenario runs one wrk per node at
# the same time, each with half the connections, the same script and the same duration; the report adds their
# requests/s and shows the worse of the two p50s and the worse of the two p99s (report.py, merge_runs). The durable
# load splits the records: each wrk creates half (create.lua's second argument numbers node B's from RECORDS/2 + 1,
# so the statuses still cycle exactly over 1..RECORDS), and the create rate is all creates ÷ the longer of the two
# runs. The ids, the exactness check and the realtime phase use both nodes (nanobench.py with PORTS "A,B").
#
# Pinning: both nodes on SERVER_CPU by default (BENCH_NODE_B_CPU moves node B), wrk and probes on LOAD_CPU as in a
# one-node run: NanoDB gets the same one core either way, so the two tables compare at equal CPU. A 2-CPU machine
# cannot show a scale-out: these are two nodes + PostgreSQL + the load generator on 2 CPUs, not a deployment.

PORTS=$PORT  # the nodes' ports for nanobench.py, comma-separated
if (( NODES == 2 )); then
  PORT_B="$(python3 "$PY" free-port)"
  while [[ $PORT_B == "$PORT" ]]; do PORT_B="$(python3 "$PY" free-port)"; done
  BASE_B="http://127.0.0.1:$PORT_B"
  PORTS="$PORT,$PORT_B"
  STARTUP_B_MS=""
  SHUTDOWN_B=""
  LOG_ERRORS_B=""
  NODES_NOTE_RT=" (subscribers and writes split over nodes A and B; idle streams on node A)"
  PG_FRESH_NOTE="a fresh database for the first start, and one shared by nodes A and B for the measured run"
  if [[ $NODE_B_CPU == "$SERVER_CPU" ]]; then
    PINNING_NOTE="two servers (nodes A and B) sharing CPU $SERVER_CPU (taskset), wrk (one per node) and probes on CPU $LOAD_CPU"
  else
    PINNING_NOTE="node A on CPU $SERVER_CPU, node B on CPU $NODE_B_CPU (taskset), wrk (one per node) and probes on CPU $LOAD_CPU"
  fi
fi

start_node_b() {
  say "starting node B on CPU $NODE_B_CPU (port $PORT_B, the same database $PG_DB, its own data folder)"
  launch_server "$WORK/data-b" "$EXTRA_OPTS" b
  echo "node B: first 200 from /health ${STARTUP_B_MS} ms after its JVM was launched"
}

# wait_both PID_A PID_B: waits for the two wrk runs of a phase (bench/run's cleanup stops both on a signal);
# returns the first failure.
wait_both() {
  local rc=0 r p
  CHILD_PID="$1 $2"
  for p in "$1" "$2"; do
    r=0
    wait "$p" || r=$?
    (( rc )) || rc=$r
  done
  CHILD_PID=""
  return "$rc"
}

load_two_nodes() {
  local half=$(( RECORDS / 2 )) url=/api/collections/bench/records a node out
  # The bound is 300 s by default here, not 150: some two-node smoke runs loaded slower than one node, and one node
  # took 144 s of the 150 for 100,000 records; a larger bound changes no figure (the rate uses the real duration).
  local opts=(-t1 -c$(( WRITE_CONNS / 2 )) -d"${BENCH_LOAD_TIMEOUT:-300}s" --timeout 10s --latency -H "$USER_AUTH"
    -s "$LUA/create.lua")
  echo "one wrk per node, $(( WRITE_CONNS / 2 )) connections and $half creates each"
  wrk "${opts[@]}" "$BASE$url" -- "$half" 0 >"$WORK/wrk-create.txt" &
  a=$!
  wrk "${opts[@]}" "$BASE_B$url" -- "$half" "$half" >"$WORK/wrk-create.b.txt" &
  wait_both "$a" $! || exit $?
  for node in A B; do
    out="$WORK/wrk-create.txt"; [[ $node == B ]] && out="$WORK/wrk-create.b.txt"
    echo "-- node $node"
    cat "$out"
  done
  check_wrk "$WORK/wrk-create.txt" "$WORK/wrk-create.b.txt"
  for out in "$WORK/wrk-create.txt" "$WORK/wrk-create.b.txt"; do
    grep -q "^BENCH created=$half errors=0 " "$out" ||
      die "the load phase did not create all $RECORDS records in time (each node $half; see above)"
  done
}

# wrk_two_nodes NAME CONNS PATH SCRIPT SCRIPT_ARG WRK-OPTION...: run_scenario's warm-up and measured run, one wrk
# per node at once with CONNS/2 connections each; node A's output in WORK/<phase>-NAME.txt, node B's in .b.txt.
wrk_two_nodes() {
  local name=$1 conns=$2 path=$3 script=$4 script_arg=$5 phase d a
  shift 5
  local extra=()
  [[ -n $script ]] && extra=(-- "$script_arg")
  echo "one wrk per node, $(( conns / 2 )) connections each"
  for phase in warm wrk; do
    d=$DURATION; [[ $phase == warm ]] && d=$WARMUP
    wrk "$@" -c$(( conns / 2 )) -d"${d}s" "$BASE$path" "${extra[@]}" >"$WORK/$phase-$name.txt" &
    a=$!
    wrk "$@" -c$(( conns / 2 )) -d"${d}s" "$BASE_B$path" "${extra[@]}" >"$WORK/$phase-$name.b.txt" &
    wait_both "$a" $! || exit $?
  done
  echo "node A:"; grep -E 'Requests/sec|^ +(50|99)%' "$WORK/wrk-$name.txt" || true
  echo "node B:"; grep -E 'Requests/sec|^ +(50|99)%' "$WORK/wrk-$name.b.txt" || true
  check_wrk "$WORK/warm-$name.txt" "$WORK/warm-$name.b.txt" "$WORK/wrk-$name.txt" "$WORK/wrk-$name.b.txt"
}

stop_node_b() {
  SHUTDOWN_B=""
  stop_server b
  echo "node B: $SHUTDOWN_B"
  LOG_ERRORS_B="$(scan_log "$WORK/server-b.log" "node B")"
}

nodes_meta() { # the lines meta.txt gets for two nodes
  cat <<EOF
nodes=2
startup_b_ms=$STARTUP_B_MS
shutdown_b=$SHUTDOWN_B
log_errors_b=$LOG_ERRORS_B
EOF
}
