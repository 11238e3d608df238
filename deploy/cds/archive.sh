#!/bin/sh
# Builds the pipeline's class-data sharing archive (AppCDS, JDK 13+): a short run of `run` loads the classes a start
# needs (Camel, the YAML routes, Kafka's clients, Jackson, OpenTelemetry, Micrometer, Vert.x), and the JVM writes them
# at exit, parsed and verified, to ARCHIVE. A start with -XX:SharedArchiveFile=ARCHIVE maps them instead of reading
# the jar. The archive holds only classes, no configuration or credentials; it fits the JVM that built it and the jar at
# the same path (another JVM or jar: the JVM says so once and starts without it).
#
#   deploy/cds/archive.sh JAR ARCHIVE [JAVA]
set -eu
jar=$1
archive=$2
java=${3:-java}
rm -f "$archive"
# Nothing to reach: Kafka and iVvy refuse at once, which loads the same classes as a start against real ones. Camel
# Main stops the run after 4 s.
env -i PATH="$PATH" CAMEL_MAIN_DURATIONMAXSECONDS=4 KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1 IVVY_BASE_URL=http://127.0.0.1:1 \
    IVVY_API_KEY=training IVVY_API_SECRET=training MANAGEMENT_PORT=0 \
    "$java" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" run > "$archive.log" 2>&1 \
    || { cat "$archive.log" >&2; exit 1; }
test -s "$archive"
rm -f "$archive.log"
echo "class-data sharing archive: $archive ($(du -m "$archive" | cut -f1) MB)"
