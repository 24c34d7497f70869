# bin/nearline bench NAME [OPTIONS]: builds the bench module and runs one benchmark. Sourced by bin/nearline.

bench_main() {
  # Benchmarks against services start the ones they need (and leave them running).
  case "${1:-}" in
    sinks)
      # shellcheck source=services.sh
      source "$NEARLINE_HOME/bin/lib/services.sh"
      services_main up cassandra memcached >&2 || die "bench: the services did not start"
      ;;
    serving)
      # shellcheck source=services.sh
      source "$NEARLINE_HOME/bin/lib/services.sh"
      services_main up cassandra memcached kafka >&2 || die "bench: the services did not start"
      command -v wrk >/dev/null 2>&1 || apt_install wrk
      ;;
    model-load)
      # shellcheck source=services.sh
      source "$NEARLINE_HOME/bin/lib/services.sh"
      services_main up s3 >&2 || die "bench: the S3 server did not start"
      ;;
    freshness | throughput | soak)
      # shellcheck source=services.sh
      source "$NEARLINE_HOME/bin/lib/services.sh"
      services_main up kafka cassandra memcached flink >&2 || die "bench: the services did not start"
      ;;
  esac
  local cp
  cp="$(module_classpath bench test)"
  local extra=()
  if [ "${1:-}" = "train" ]; then
    # Spark's ALS, the baseline, lives in its own module and JVM (bench-spark/, outside the main build).
    local spark_cp="$NEARLINE_WORK_DIR/classpath/bench-spark.txt"
    log "bench: building the Spark baseline (bench-spark/; the first time downloads Spark)"
    "$NEARLINE_HOME/mvnw" -q -f "$NEARLINE_HOME/bench-spark/pom.xml" package dependency:build-classpath \
      -Dmdep.outputFile="$spark_cp" >"$spark_cp.build.log" 2>&1 || die "bench: the Spark baseline did not build (see $spark_cp.build.log)"
    extra=("-Dnearline.spark.classpath=$NEARLINE_HOME/bench-spark/target/classes:$(cat "$spark_cp")")
  fi
  extra+=("-Dnearline.home=$NEARLINE_HOME")
  extra+=("-Dnearline.job.jar=$(job_jar 2>/dev/null || true)")
  # shellcheck disable=SC2086 # NEARLINE_BENCH_OPTS: extra JVM options, such as -Dnearline.bench.job.<option>=<value>
  exec "$(nearline_java)" "${NEARLINE_JVM_VECTOR[@]}" "${extra[@]}" ${NEARLINE_BENCH_OPTS:-} -cp "$cp" io.nearline.bench.BenchMain "$@"
}
