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
ENV DATA_DIR=/app/data \
    LEPAPON_TIMEZONE=America/Sao_Paulo \
    MANAGEMENT_HOST=0.0.0.0 \
    MANAGEMENT_PORT=9876 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
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
