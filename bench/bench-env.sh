# Sourced by bench/run-*.sh from the repository root: finds JDK 25, builds bench/target/benchmarks.jar
# when it is missing, makes a scratch folder $out, and defines bench_header, which prints the
# machine, the time, the load and the JDK above a run's figures.
. bin/jdk25.sh
jsam_find_jdk25
if [ ! -f bench/target/benchmarks.jar ]; then
  ./mvnw -q -pl bench -am package -DskipTests
fi
out="$(mktemp -d)"

# Usage: bench_header THREADS
bench_header() {
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, threads=$1, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
}
