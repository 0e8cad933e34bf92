# Sourced by ./mvnw and bin/sam: points JAVA_HOME at a JDK 25 or explains what is missing.
# Order: $JAVA_HOME if it is a JDK 25, then /usr/lib/jvm/temurin-25-jdk-amd64, then any /usr/lib/jvm/*25*.
jsam_java_major() {
  # Prints the major version of the JDK at $1, read from its release file.
  [ -f "$1/release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
jsam_find_jdk25() {
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "$(jsam_java_major "$candidate")" = "25" ]; then
      JAVA_HOME="$candidate"; export JAVA_HOME; return 0
    fi
  done
  echo "jsam needs JDK 25 (Vector API, FFM API): set JAVA_HOME to a JDK 25 installation" >&2
  echo "  (looked at JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/*25*)" >&2
  return 1
}
