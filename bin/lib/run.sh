# bin/nearline run [--from-savepoint PATH [--allow-non-restored-state]] [--parallelism N] [--key value ...]: starts Kafka, Cassandra, memcached
# and Flink, creates the topics and tables, and submits NearlineJob to the local Flink session cluster, on embedded
# defaults unless options say otherwise. bin/nearline stop stops it with a savepoint. Sourced by bin/nearline.

run_main() {
  local options=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help)
        echo "Usage: bin/nearline run [--from-savepoint PATH [--allow-non-restored-state]] [--parallelism N]"
        echo "                        [--nearline.<option> value ...]"
        echo "  (options: docs/configuration.md; PATH: a savepoint, such as bin/nearline stop or"
        echo "  bin/nearline savepoint rollout wrote; --allow-non-restored-state drops the state of operators"
        echo "  the job no longer has, see docs/rollout.md)"
        return 0
        ;;
      --from-savepoint)
        [ $# -ge 2 ] || die "--from-savepoint needs a savepoint path"
        [ -f "${2#file:}/_metadata" ] || [[ "$2" == *://* && "$2" != file:* ]] || die "--from-savepoint: no savepoint at $2"
        NEARLINE_RESTORE_FROM="$2"
        shift 2
        ;;
      --allow-non-restored-state)
        NEARLINE_ALLOW_NON_RESTORED=true
        shift
        ;;
      --parallelism)
        [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--parallelism must be a whole number of at least 1, not '${2:-}'"
        NEARLINE_PARALLELISM="$2"
        shift 2
        ;;
      *)
        options+=("$1")
        shift
        ;;
    esac
  done
  set -- "${options[@]+"${options[@]}"}"
  [ -z "${NEARLINE_ALLOW_NON_RESTORED:-}" ] || [ -n "${NEARLINE_RESTORE_FROM:-}" ] ||
    die "--allow-non-restored-state goes with --from-savepoint"
  # shellcheck source=services.sh
  source "$NEARLINE_HOME/bin/lib/services.sh"
  services_main up kafka cassandra memcached flink >&2 || die "run: the services did not start"

  submit_nearline_job "$@"
  local rest="http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT" job_id="$JOB_ID"
  echo "NearlineJob running as job $job_id"
  echo "  web UI:   $rest/#/job/running/$job_id/overview"
  echo "  stop it with a savepoint:  bin/nearline stop $job_id"
}

# bin/nearline stop [JOB_ID]: stops a job of the local cluster with a savepoint (the only running job if no id is
# given) and prints the savepoint's path, for bin/nearline run --from-savepoint and bin/nearline savepoint.
stop_main() {
  local rest="http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT" job_id="${1:-}" answer trigger status location
  case "$job_id" in
    -h | --help) echo "Usage: bin/nearline stop [JOB_ID]   (stop with a savepoint; prints its path)"; return 0 ;;
  esac
  if [ -z "$job_id" ]; then
    answer="$(curl -sf "$rest/jobs/overview")" || die "no Flink cluster at $rest"
    job_id="$(grep -o '"jid":"[^"]*","name":"[^"]*","start-time":[0-9]*,"end-time":-1' <<<"$answer" |
      sed 's/"jid":"\([^"]*\)".*/\1/' || true)"
    [ -n "$job_id" ] || die "no running job on $rest"
    [ "$(wc -l <<<"$job_id")" -eq 1 ] || die "several running jobs; name one: $(tr '\n' ' ' <<<"$job_id")"
  fi
  answer="$(curl -s -X POST -H 'Content-Type: application/json' -d '{"drain":false,"formatType":"CANONICAL"}' \
    "$rest/jobs/$job_id/stop")" || die "$rest did not answer"
  trigger="$(sed -n 's/.*"request-id":"\([^"]*\)".*/\1/p' <<<"$answer")"
  [ -n "$trigger" ] || die "the cluster refused to stop job $job_id: ${answer:0:300}"
  log "stopping job $job_id with a savepoint"
  for _ in $(seq 1 600); do
    status="$(curl -s "$rest/jobs/$job_id/savepoints/$trigger")"
    if grep -q '"id":"COMPLETED"' <<<"$status"; then
      location="$(sed -n 's/.*"location":"\([^"]*\)".*/\1/p' <<<"$status")"
      [ -n "$location" ] || die "the savepoint failed: ${status:0:500}"
      echo "$location"
      return 0
    fi
    sleep 0.5
  done
  die "the savepoint of job $job_id did not complete within 5 minutes"
}

# Builds the job jar, creates the job's topics and its Cassandra tables, and submits NearlineJob to the local
# session cluster with the given --key value options; sets JOB_ID. The services must be up.
submit_nearline_job() {
  local jar
  log "building the job jar"
  "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/pom.xml" install -DskipTests -pl topology -am \
    >"$NEARLINE_WORK_DIR/run-build.log" 2>&1 || { tail -n 30 "$NEARLINE_WORK_DIR/run-build.log" >&2; die "the build failed"; }
  jar="$(ls "$NEARLINE_HOME"/topology/target/nearline-topology-*-job.jar 2>/dev/null | head -n 1 || true)"
  [ -n "$jar" ] || die "the job jar was not built"

  local kafka_cp topic
  kafka_cp="$(service_classpath kafka)" || die "no Kafka tools"
  for topic in "$(option_value nearline.kafka.events-topic ui-events "$@")" \
    "$(option_value nearline.kafka.dead-letter-topic ui-events-dlq "$@")" \
    "$(option_value nearline.models.published-topic published "$@")"; do
    "$(nearline_java)" -cp "$kafka_cp" org.apache.kafka.tools.TopicCommand --bootstrap-server \
      "$NEARLINE_HOST:$NEARLINE_KAFKA_PORT" --create --if-not-exists --topic "$topic" --partitions 4 \
      --replication-factor 1 >/dev/null 2>&1 || die "could not create topic $topic"
  done

  # Rows and factors go to Cassandra: its tables must exist (safe to repeat).
  # shellcheck source=tools.sh
  source "$NEARLINE_HOME/bin/lib/tools.sh"
  "$(nearline_java)" -Dlog4j2.level=WARN -cp "$(tools_classpath)" io.nearline.topology.cli.NearlineCli cassandra schema \
    --contact-points "$NEARLINE_HOST:$NEARLINE_CASSANDRA_PORT" \
    --keyspace "$(option_value nearline.cassandra.keyspace nearline "$@")" >&2 || die "could not create the Cassandra schema"

  local rest="http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT" upload jar_id args_json run job_id
  upload="$(curl -sf -X POST -F "jarfile=@$jar" "$rest/jars/upload")" || die "jar upload to $rest failed"
  jar_id="$(sed -n 's/.*"filename":"\([^"]*\)".*/\1/p' <<<"$upload")"
  [ -n "$jar_id" ] || die "the jar upload answered without a file name: $upload"
  jar_id="${jar_id##*/}"
  local restore=""
  [ -z "${NEARLINE_RESTORE_FROM:-}" ] || restore="\"savepointPath\":\"$NEARLINE_RESTORE_FROM\","
  [ -z "${NEARLINE_ALLOW_NON_RESTORED:-}" ] || restore="$restore\"allowNonRestoredState\":true,"
  args_json="$(printf '%s\n' "--nearline.kafka.bootstrap-servers" "$NEARLINE_HOST:$NEARLINE_KAFKA_PORT" "$@" |
    sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' | paste -sd, -)"
  run="$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"entryClass\":\"io.nearline.topology.NearlineJob\",\"parallelism\":${NEARLINE_PARALLELISM:-2},$restore\"programArgsList\":[$args_json]}" \
    "$rest/jars/$jar_id/run")" || die "$rest did not answer"
  job_id="$(sed -n 's/.*"jobid":"\([^"]*\)".*/\1/p' <<<"$run")"
  if [ -z "$job_id" ]; then
    curl -s -X DELETE "$rest/jars/$jar_id" >/dev/null || true
    local reason
    reason="$(grep -o 'nearline: [^\\"]*' <<<"$run" | head -n 1 || true)"
    [ -n "$reason" ] || reason="$(grep -o 'Caused by: [^\\"]*' <<<"$run" | tail -n 1 || true)"
    echo "${reason:-the cluster answered: ${run:0:300}}" >&2
    die "the cluster refused the job"
  fi
  JOB_ID="$job_id"
}

# The value given for --KEY in the arguments, else DEFAULT.
option_value() {
  local key="$1" default="$2"
  shift 2
  while [ $# -gt 1 ]; do
    if [ "$1" = "--$key" ]; then
      echo "$2"
      return
    fi
    shift
  done
  echo "$default"
}
