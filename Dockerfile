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
RUN mkdir -p /app/data && chown -R bridge:bridge /app/data
USER bridge
# JVM options, measured with bench/run on 2 cores (benchmarks/RESULTS.md): an 80 MiB heap holds the live data (about
# 20 MiB) and 10,000 orders waiting for the webhook (about 1.5 KiB each). The serial collector has no G1 remembered
# sets, and the C1 compiler alone (TieredStopAtLevel=1) leaves out C2's code and compiler memory and starts faster.
# Together they kept peak RSS at 177 to 189 MiB in a 200,000-frame burst. Once warm, C1 code takes 2 to 3 times the
# CPU per event of C2 code; for a feed much busier than a restaurant's, drop -XX:TieredStopAtLevel=1 and allow about
# 40 MiB more.
# bench/run reads these options from here.
ENV DATA_DIR=/app/data \
    LEPAPON_TIMEZONE=America/Sao_Paulo \
    MANAGEMENT_HOST=0.0.0.0 \
    MANAGEMENT_PORT=9876 \
    JAVA_TOOL_OPTIONS="-Xmx80m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
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
