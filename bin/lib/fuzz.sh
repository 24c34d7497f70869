# bin/nearline fuzz TARGET: coverage-guided fuzzing of one of Nearline's parsers with Jazzer, for the @FuzzTest's
# maxDuration (60 s). Findings are written next to the seeds (operators/src/test/resources/.../<Test>Inputs/<method>/)
# and from then on replay in ./mvnw verify as regression cases. Sourced by bin/nearline.

fuzz_main() {
  local target="${1:-}" test
  case "$target" in
    decoder) test="io.nearline.operators.events.EventDecoderFuzzTest" ;;
    artifact) test="io.nearline.operators.models.ModelArtifactsFuzzTest" ;;
    algorithms) test="io.nearline.operators.similars.AlgorithmDocumentsFuzzTest" ;;
    -h | --help)
      echo "Usage: bin/nearline fuzz decoder|artifact|algorithms   (60 s of coverage-guided fuzzing with Jazzer)"
      return 0
      ;;
    "") die "fuzz: missing target: decoder, artifact or algorithms" ;;
    *) die "fuzz: unknown target '$target': decoder, artifact or algorithms" ;;
  esac
  local logs="$NEARLINE_WORK_DIR/fuzz"
  mkdir -p "$logs"
  module_classpath operators >/dev/null
  log "fuzz: $target ($test), output in $logs/$target.log"
  # Coverage of our parsers and of the libraries they parse with guides the fuzzer.
  (cd "$NEARLINE_HOME/operators" && JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES="io.nearline.**:org.apache.avro.**:com.fasterxml.jackson.**:org.yaml.snakeyaml.**" "$NEARLINE_HOME/mvnw" -f "$NEARLINE_HOME/pom.xml" test -pl operators \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.printSummary=true) >"$logs/$target.log" 2>&1
  local rc=$?
  grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|== Java Exception|Tests run:" "$logs/$target.log" | tail -n 5
  [ $rc -eq 0 ] || die "fuzz: $target found a failing input (see $logs/$target.log; it is saved as a regression case)"
}
