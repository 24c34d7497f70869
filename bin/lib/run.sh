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
# Flink's REST API is spoken by Java (NearlineCli cluster), not parsed here.
stop_main() {
  case "${1:-}" in
    -h | --help) echo "Usage: bin/nearline stop [JOB_ID]   (stop with a savepoint; prints its path)"; return 0 ;;
  esac
  cluster_tool cluster stop "$@"
}

# Runs a NearlineCli command (cluster, topics, cassandra) against the local services.
cluster_tool() {
  # shellcheck source=tools.sh
  source "$NEARLINE_HOME/bin/lib/tools.sh"
  local command="$1"
  shift
  local where=()
  case "$command" in
    cluster) where=("$1" --rest "http://$NEARLINE_HOST:$NEARLINE_FLINK_PORT"); shift ;;
    topics) where=("$1" --bootstrap-servers "$NEARLINE_HOST:$NEARLINE_KAFKA_PORT"); shift ;;
  esac
  "$(nearline_java)" -Dlog4j2.level=WARN -cp "$(tools_classpath)" io.nearline.topology.cli.NearlineCli "$command" "${where[@]}" "$@"
}

# Builds the job jar, creates the job's topics and its Cassandra tables, and submits NearlineJob to the local
# session cluster with the given --key value options; sets JOB_ID. The services must be up.
submit_nearline_job() {
  log "building the job jar"
  # shellcheck source=tools.sh
  source "$NEARLINE_HOME/bin/lib/tools.sh"
  tools_classpath >/dev/null
  local jar
  jar="$(job_jar)"

  cluster_tool topics create --partitions 4 "$(option_value nearline.kafka.events-topic ui-events "$@")" \
    "$(option_value nearline.kafka.dead-letter-topic ui-events-dlq "$@")" \
    "$(option_value nearline.models.published-topic published "$@")" || die "could not create the job's topics"

  # Rows and factors go to Cassandra: its tables must exist (safe to repeat).
  cluster_tool cassandra schema --contact-points "$NEARLINE_HOST:$NEARLINE_CASSANDRA_PORT" \
    --keyspace "$(option_value nearline.cassandra.keyspace nearline "$@")" >&2 || die "could not create the Cassandra schema"

  local submit=(--jar "$jar" --parallelism "${NEARLINE_PARALLELISM:-2}")
  [ -z "${NEARLINE_RESTORE_FROM:-}" ] || submit+=(--from-savepoint "$NEARLINE_RESTORE_FROM")
  [ -z "${NEARLINE_ALLOW_NON_RESTORED:-}" ] || submit+=(--allow-non-restored-state)
  JOB_ID="$(cluster_tool cluster submit "${submit[@]}" -- --nearline.kafka.bootstrap-servers \
    "$NEARLINE_HOST:$NEARLINE_KAFKA_PORT" "$@")" || die "NearlineJob was not submitted"
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
