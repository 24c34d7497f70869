# bin/nearline demo [--keep]: the guided tour on embedded defaults. Starts the local services (or uses running
# ones), generates a catalog and members with planted tastes (fixed seed), trains and publishes a model, builds
# similars, submits NearlineJob to the local Flink cluster, replays the members' live plays into Kafka in time
# order and shows rows changing as they watch, with the freshness at the end. Without --keep it removes what it
# made and stops the services it started; with --keep it also starts the online service with its console and
# leaves it all running. Sourced by bin/nearline.

# The console's port with --keep (the online service's nearline.serving.port).
: "${NEARLINE_SERVING_PORT:=8090}"

demo_main() {
  local keep=false arg
  for arg in "$@"; do
    case "$arg" in
      --keep) keep=true ;;
      -h | --help)
        echo "Usage: bin/nearline demo [--keep]   (--keep leaves the job, its data and the services running, and"
        echo "       starts the online service with its console on port \$NEARLINE_SERVING_PORT, $NEARLINE_SERVING_PORT)"
        return 0
        ;;
      *) die "demo: unknown argument '$arg' (usage: bin/nearline demo [--keep])" ;;
    esac
  done
  # shellcheck source=services.sh
  source "$NEARLINE_HOME/bin/lib/services.sh"
  # shellcheck source=run.sh
  source "$NEARLINE_HOME/bin/lib/run.sh"
  # shellcheck source=tools.sh
  source "$NEARLINE_HOME/bin/lib/tools.sh"

  # Before anything is made: a taken port would otherwise end the tour at its last step.
  if [ "$keep" = true ] && port_open "$NEARLINE_SERVING_PORT"; then
    die "demo: port $NEARLINE_SERVING_PORT is taken (another bin/nearline serve?); set NEARLINE_SERVING_PORT to a free one"
  fi
  local needed=(kafka cassandra memcached flink) name
  # Globals, not locals: demo_cleanup runs on exit, after this function has returned.
  started=()
  for name in "${needed[@]}"; do
    services_main status "$name" 2>/dev/null | grep -q ' up$' || started+=("$name")
  done
  log "demo [1/6]: starting the local services${started:+ (${started[*]})}"
  services_main up "${needed[@]}" >&2 || die "demo: the services did not start"

  log "demo [2/6]: building the tools and the job jar"
  local cp
  cp="$(tools_classpath)"

  local run_id
  run_id="$(date +%s)"
  dir="$NEARLINE_WORK_DIR/demo/$run_id"
  events="demo-$run_id-events"
  dlq="demo-$run_id-dlq"
  published="demo-$run_id-published"
  keyspace="demo_$run_id"
  mkdir -p "$dir"
  settings=(-D "nearline.kafka.bootstrap-servers=$NEARLINE_HOST:$NEARLINE_KAFKA_PORT"
    -D "nearline.kafka.events-topic=$events"
    -D "nearline.models.published-topic=$published"
    -D "nearline.cassandra.contact-points=$NEARLINE_HOST:$NEARLINE_CASSANDRA_PORT"
    -D "nearline.cassandra.keyspace=$keyspace"
    -D "nearline.cache.servers=$NEARLINE_HOST:$NEARLINE_MEMCACHED_PORT")
  java_cmd=("$(nearline_java)" "${NEARLINE_JVM_VECTOR[@]}" -Dlog4j2.level=ERROR -cp "$cp" io.nearline.topology.cli.NearlineCli)
  DEMO_JOB=""
  DEMO_SERVING=""
  # Whatever happens from here on (a failed step exits through die), remove what the demo made, unless --keep.
  trap 'demo_cleanup' EXIT

  log "demo [3/6]: generating members and titles, training and publishing a model, building similars"
  "${java_cmd[@]}" cassandra schema --contact-points "$NEARLINE_HOST:$NEARLINE_CASSANDRA_PORT" --keyspace "$keyspace" >/dev/null ||
    die "demo: could not create the Cassandra keyspace $keyspace"
  "${java_cmd[@]}" demo prepare --dir "$dir" --algorithms "$NEARLINE_HOME/examples/similars" "${settings[@]}" ||
    die "demo: preparing the data failed (see above)"

  log "demo [4/6]: submitting NearlineJob to the Flink cluster"
  submit_nearline_job --nearline.kafka.events-topic "$events" --nearline.kafka.dead-letter-topic "$dlq" \
    --nearline.models.published-topic "$published" --nearline.kafka.group-id "demo-$run_id" \
    --nearline.cassandra.keyspace "$keyspace" --nearline.archive.path "file://$dir/archive" \
    --nearline.members.debounce "100 ms" --nearline.job.name "nearline-demo" --nearline.job.checkpoint-interval "5 s"
  DEMO_JOB="$JOB_ID"
  local job="$JOB_ID" rest="http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT"
  # Until every task runs: plays sent earlier would wait, and count against freshness.
  cluster_tool cluster await-running --timeout 120s "$job" || log "demo: not every task of $job runs yet; replaying anyway"
  log "demo [5/6]: NearlineJob $job is running; replaying the members' live plays"
  local replayed=0
  "${java_cmd[@]}" demo replay "${settings[@]}" || replayed=$?

  if [ "$keep" = true ]; then
    log "demo [6/6]: starting the online service and its console"
    demo_console_start
    trap - EXIT
    cat <<TXT

Everything is still running:
  the console:      http://$NEARLINE_HOST:$NEARLINE_SERVING_PORT/?member=member-0   (member-0 to member-2 turned to a new genre)
  Flink web UI:     $rest/#/job/running/$job/overview
  a member's rows:  bin/nearline rows member-0 -D nearline.cassandra.keyspace=$keyspace
  stop it all:      kill $DEMO_SERVING; bin/nearline cluster cancel $job; bin/nearline services down
TXT
  else
    log "demo [6/6]: done"
  fi
  return $replayed
}

# The online service on the demo's topics and keyspace, in the background as the services run (its own session, a
# pid file, a log in the demo's folder); returns once it answers, or dies with the end of its log.
demo_console_start() {
  local cp url="http://$NEARLINE_HOST:$NEARLINE_SERVING_PORT"
  cp="$(tools_classpath serving)"
  # The near cache is off: one person polls the console, and a cached answer would only hold back the row a play
  # changed. -XX:ErrorFile puts the demo's folder on the command line, where pid_alive looks for it.
  setsid nohup "$(nearline_java)" -Dlog4j2.level=WARN -XX:ErrorFile="$dir/serving-hs_err_%p.log" -cp "$cp" \
    io.nearline.serving.ServeCommand "${settings[@]}" -D "nearline.serving.host=$NEARLINE_HOST" \
    -D "nearline.serving.port=$NEARLINE_SERVING_PORT" -D "nearline.serving.near-cache.ttl=0 ms" \
    >>"$dir/serving.log" 2>&1 </dev/null &
  echo $! >"$dir/serving.pid"
  DEMO_SERVING="$!"
  local deadline=$((SECONDS + 120))
  # Ready once it answers and has loaded the demo's model from the published topic.
  until curl -sf -m 2 "$url/health" 2>/dev/null | grep -q '"model":"als '; do
    if ! pid_alive "$dir/serving.pid"; then
      tail -n 20 "$dir/serving.log" >&2
      die "demo: the online service exited (log: $dir/serving.log)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$dir/serving.log" >&2
      die "demo: the online service did not load the demo's model within 120 s (log: $dir/serving.log)"
    fi
    sleep 0.5
  done
}

# Cancels the demo's job, deletes its topics, keyspace and files, and stops the services it started. Runs on exit.
demo_cleanup() {
  local status=$?
  trap - EXIT
  if [ -n "$DEMO_SERVING" ] && pid_alive "$dir/serving.pid"; then
    kill -TERM "$DEMO_SERVING" 2>/dev/null || true
  fi
  if [ -n "$DEMO_JOB" ]; then
    cluster_tool cluster cancel "$DEMO_JOB" >/dev/null 2>&1 || true
  fi
  cluster_tool topics delete "$events" "$dlq" "$published" >/dev/null 2>&1 || true
  "${java_cmd[@]}" demo cleanup "${settings[@]}" >/dev/null 2>&1 || true
  rm -rf "$dir"
  if [ ${#started[@]} -gt 0 ]; then
    services_main down "${started[@]}" >&2 || true
  fi
  log "demo: cleaned up (bin/nearline demo --keep leaves everything running)"
  exit "$status"
}
