# Build stage: compiles and packages target/lepapon-bridge.jar with its dependencies in target/lib.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml application.properties ./
RUN mvn -B -ntp dependency:go-offline
COPY src ./src
COPY routes ./routes
RUN mvn -B -ntp -DskipTests package

# Run stage: a JRE, the jar, the routes users edit and a data volume, run as a non-root user.
FROM eclipse-temurin:17-jre
RUN groupadd --system bridge && useradd --system --gid bridge --home-dir /app bridge
WORKDIR /app
COPY --from=build /build/target/lepapon-bridge.jar ./lepapon-bridge.jar
COPY --from=build /build/target/lib ./lib
COPY application.properties ./
COPY routes ./routes
# A class data sharing archive of the classes the bridge loads, written by a 6 s run of the demo on 127.0.0.1 inside
# the build; it must be written by the JVM that uses it, so it is made here and not in the build stage.
COPY src/main/docker/cds-archive.sh /tmp/cds-archive.sh
RUN sh /tmp/cds-archive.sh /app/lepapon-bridge.jar /app/lepapon-bridge.jsa && rm /tmp/cds-archive.sh
RUN mkdir -p /app/data && chown -R bridge:bridge /app/data
USER bridge
# JVM options (README, "Memory and JVM options"): an 80 MiB heap, which the bridge's buffers size themselves to, the
# serial collector and the C1 compiler only, for a small footprint and a fast start; the archive above.
ENV DATA_DIR=/app/data \
    LEPAPON_TIMEZONE=America/Sao_Paulo \
    MANAGEMENT_HOST=0.0.0.0 \
    MANAGEMENT_PORT=9876 \
    JAVA_TOOL_OPTIONS="-Xmx80m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=/app/lepapon-bridge.jsa -XX:+ExitOnOutOfMemoryError"
VOLUME ["/app/data"]
# Health and metrics: /observe/health/live, /observe/health/ready and /observe/metrics.
EXPOSE 9876
# Healthy while readiness answers 200; bash's /dev/tcp needs no extra package in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_PORT} && printf "GET /observe/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
# Configure with the variables of the README's table, for example WS_AUTH_TOKEN or WS_TOKEN_API_KEY,
# WEBHOOK_URL and WEBHOOK_SECRET. A stop with a backlog takes up to about 8 s, within Docker's default of 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/lepapon-bridge.jar"]
