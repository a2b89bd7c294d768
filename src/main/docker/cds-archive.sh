#!/bin/sh
# Writes a class data sharing archive of the classes the bridge loads, which shortens its start-up: runs the demo
# (the platform simulator, a webhook receiver and the bridge, all on 127.0.0.1) for 6 s under
# -XX:ArchiveClassesAtExit. The bridge then starts with -XX:SharedArchiveFile=ARCHIVE and the same JAR path.
# Usage: cds-archive.sh JAR ARCHIVE.jsa, from the folder that contains application.properties and routes/.
# The environment is emptied so that no setting of the calling shell (a token, a URL) reaches the demo.
set -eu
if [ "$#" -ne 2 ]; then
    echo "Usage: $0 JAR ARCHIVE.jsa" >&2
    exit 2
fi
jar=$1
archive=$2
case "$jar" in
    *.jar) ;;
    *) echo "The first argument must be the bridge's jar, not $jar" >&2; exit 2 ;;
esac
if [ ! -f "$jar" ]; then
    echo "Jar not found: $jar" >&2
    exit 2
fi
case "$archive" in
    *.jsa) ;;
    *) echo "The second argument is the archive to write and must end in .jsa, not $archive" >&2; exit 2 ;;
esac
work=$(mktemp -d)
# The archive is written next to its final place and renamed only when the run succeeded, so a failed run leaves
# any earlier archive in place.
partial="$archive.partial"
trap 'rm -rf "$work"; rm -f "$partial"' EXIT
rm -f "$partial"
if ! env -i PATH="$PATH" HOME="$work" DATA_DIR="$work/data" MANAGEMENT_PORT=0 \
        java -XX:ArchiveClassesAtExit="$partial" -Dcamel.main.durationMaxSeconds=6 \
        -cp "$jar" br.com.lepapon.bridge.simulator.DemoMain >"$work/demo.log" 2>&1; then
    echo "The demo run for the class data sharing archive failed; its output:" >&2
    cat "$work/demo.log" >&2
    exit 1
fi
if ! grep -q "Delivered order to webhook" "$work/demo.log" || [ ! -s "$partial" ]; then
    echo "The demo run delivered no order or wrote no archive, so the archive would miss classes; its output:" >&2
    cat "$work/demo.log" >&2
    exit 1
fi
mv -f "$partial" "$archive"
echo "Wrote $archive ($(wc -c <"$archive") bytes)"
