# Sourced by bin/nanodb, bin/test and bench/run: picks a JDK >= 21 and exports JAVA_HOME, or explains and exits.
# Order: $JAVA_HOME if it is new enough, the `java` on PATH, then the newest JDK under /usr/lib/jvm.

nanodb_java_major() {
  # The JDK's release file says its version without starting a JVM (each start costs ~100 ms).
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n1
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
  fi
}

nanodb_pick_jdk() {
  local candidates=() best="" best_major=0 home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$home/bin/java" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    major="$(nanodb_java_major "$home")"
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "NanoDB needs a JDK 21 or newer, and none was found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  NANODB_JAVA_MAJOR="$best_major"
}

nanodb_pick_jdk

# JVM flags for the server: a small heap and the serial GC (the 250 MB VPS target; the working set is small
# because records live in LMDB's page cache, not on the heap), and LMDB's required opens. Override the heap with
# NANODB_EXTRA_JVM_OPTS (e.g. -Xmx256m) for very large pages or many concurrent unindexed sorts.
# Two glibc malloc arenas instead of one per core-and-thread keep native memory from fragmenting.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
NANODB_JVM_OPTS="-XX:+UseSerialGC -Xms16m -Xmx40m -Xss512k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m \
 -XX:+ExitOnOutOfMemoryError --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 --enable-native-access=ALL-UNNAMED"
if [ "$NANODB_JAVA_MAJOR" -ge 22 ]; then
  # Return freed native memory (JIT arenas, LMDB's write buffers) to the OS every 5 s: measured 119 -> 76 MB of
  # anonymous memory after a write burst.
  NANODB_JVM_OPTS="$NANODB_JVM_OPTS -XX:TrimNativeHeapInterval=5000"
fi
if [ "$NANODB_JAVA_MAJOR" -ge 24 ]; then
  NANODB_JVM_OPTS="$NANODB_JVM_OPTS --sun-misc-unsafe-memory-access=allow"
fi

# nanodb_cache_opts FILE: JVM flags for a start-up cache at FILE (classes already loaded and linked, so the
# next start skips most class loading). On JDK 25+ an AOT cache (JEP 483/514): used when FILE exists, else
# recorded during this run and written when the server exits. On JDK 21-24 a dynamic CDS archive.
nanodb_cache_opts() {
  local f="$1"
  if [ "$NANODB_JAVA_MAJOR" -ge 25 ]; then
    if [ -f "$f" ]; then echo "-XX:AOTCache=$f -Xlog:aot=off -Xlog:cds=off"; else echo "-XX:AOTCacheOutput=$f -Xlog:aot=off -Xlog:cds=off"; fi
  else
    echo "-XX:SharedArchiveFile=$f -XX:+AutoCreateSharedArchive -Xlog:cds=off"
  fi
}
