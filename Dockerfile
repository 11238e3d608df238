# The pipeline image: `run` by default; `sandbox`, `check`, `replay` are the jar's other commands.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
COPY config config
COPY schemas schemas
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 pipeline && useradd --system --uid 10001 --gid 10001 pipeline
COPY --from=build /src/target/ivvy-contact-pipeline.jar /app/ivvy-contact-pipeline.jar
# The class-data sharing archive, built by this image's JVM for this jar: it takes about 1.5 s off every start.
COPY deploy/cds/archive.sh /app/cds-archive.sh
RUN sh /app/cds-archive.sh /app/ivvy-contact-pipeline.jar /app/ivvy-contact-pipeline.jsa && rm /app/cds-archive.sh
# Numeric, so that Kubernetes' runAsNonRoot can verify it (deploy/kubernetes runs it read-only, /tmp writable).
USER 10001:10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/ivvy-contact-pipeline.jsa", "-jar", "/app/ivvy-contact-pipeline.jar"]
CMD ["run"]
