# bin/nearline demo [--keep]: the guided tour on embedded defaults. Starts the local services (or uses running
# ones), generates a catalog and members with planted tastes (fixed seed), trains and publishes a model, builds
# similars, submits NearlineJob to the local Flink cluster, replays the members' live plays into Kafka in time
# order and shows rows changing as they watch, with the freshness at the end. Without --keep it removes what it
# made and stops the services it started. Sourced by bin/nearline.

demo_main() {
  local keep=false arg
  for arg in "$@"; do
    case "$arg" in
      --keep) keep=true ;;
      -h | --help)
        echo "Usage: bin/nearline demo [--keep]   (--keep leaves the job, its data and the services running)"
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
  # Whatever happens from here on (a failed step exits through die), remove what the demo made, unless --keep.
  trap 'demo_cleanup' EXIT

  log "demo [3/6]: generating members and titles, training and publishing a model, building similars"
  "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/pom.xml" install -DskipTests -pl topology -am >"$dir/build.log" 2>&1 ||
    { tail -n 30 "$dir/build.log" >&2; die "demo: the build failed"; }
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
  local job="$JOB_ID" rest="http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT" statuses deadline=$((SECONDS + 120))
  # Until every task runs: plays sent earlier would wait, and count against freshness.
  while [ $SECONDS -lt $deadline ]; do
    statuses="$(curl -sf "$rest/jobs/$job" | grep -o '"status":"[A-Z_]*"' || true)"
    if [ -n "$statuses" ] && ! grep -qv RUNNING <<<"$statuses"; then
      break
    fi
    sleep 1
  done
  log "demo [5/6]: NearlineJob $job is running; replaying the members' live plays"
  local replayed=0
  "${java_cmd[@]}" demo replay "${settings[@]}" || replayed=$?

  log "demo [6/6]: done"
  if [ "$keep" = true ]; then
    trap - EXIT
    cat <<TXT

Everything is still running:
  Flink web UI:     $rest/#/job/running/$job/overview
  a member's rows:  bin/nearline rows member-0 -D nearline.cassandra.keyspace=$keyspace
  stop it all:      curl -X PATCH '$rest/jobs/$job?mode=cancel'; bin/nearline services down
TXT
  fi
  return $replayed
}

# Cancels the demo's job, deletes its topics, keyspace and files, and stops the services it started. Runs on exit.
demo_cleanup() {
  local status=$?
  trap - EXIT
  if [ -n "$DEMO_JOB" ]; then
    curl -sf -X PATCH "http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT/jobs/$DEMO_JOB?mode=cancel" >/dev/null || true
  fi
  local kafka_cp topic
  if kafka_cp="$(service_classpath kafka 2>/dev/null)"; then
    for topic in "$events" "$dlq" "$published"; do
      "$(nearline_java)" -cp "$kafka_cp" org.apache.kafka.tools.TopicCommand --bootstrap-server \
        "$NEARLINE_HOST:$NEARLINE_KAFKA_PORT" --delete --topic "$topic" >/dev/null 2>&1 || true
    done
  fi
  "${java_cmd[@]}" demo cleanup "${settings[@]}" >/dev/null 2>&1 || true
  rm -rf "$dir"
  if [ ${#started[@]} -gt 0 ]; then
    services_main down "${started[@]}" >&2 || true
  fi
  log "demo: cleaned up (bin/nearline demo --keep leaves everything running)"
  exit "$status"
}
