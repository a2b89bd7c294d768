package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A route file dropped next to the project's routes is loaded and receives events: here a copy of routes/ with an
 * extra sink that the router sends new_message events to, as the README's "Adding a sink" section shows, and a
 * second one that writes with Camel's file: component.
 */
class ExtraRouteTest extends BridgeTestSupport {

    @Override
    protected void setupResources() throws Exception {
        Path router = copyRoutes("feed-event-router.yaml");
        String messageBranch = "                      logName: lepapon.messages\n"
                + "                      message: \"${header.LePaponSummary}\"\n"
                + "                  - to: direct:daily-file-sink\n";
        String withExtraSink = Files.readString(router).replace(messageBranch,
                "                      logName: lepapon.messages\n"
                        + "                      message: \"${header.LePaponSummary}\"\n"
                        + "                  - multicast:\n"
                        + "                      steps:\n"
                        + "                        - to: direct:daily-file-sink\n"
                        + "                        - to: direct:message-copy-sink\n"
                        + "                        - to: direct:message-file-copy-sink\n");
        assertThat(withExtraSink).contains("direct:message-copy-sink").contains("direct:message-file-copy-sink");
        Files.writeString(router, withExtraSink);
        Files.writeString(routesDir.resolve("message-copy-sink.yaml"), """
                - route:
                    id: message-copy-sink
                    from:
                      uri: direct:message-copy-sink
                      steps:
                        - setHeader:
                            name: LePaponFile
                            simple: "copies/${header.LePaponEventFile}.jsonl"
                        - process:
                            ref: jsonLinesWriter
                """);
        // The file: component, which the README mentions as an alternative, in a second extra route.
        Files.writeString(routesDir.resolve("message-file-copy-sink.yaml"), """
                - route:
                    id: message-file-copy-sink
                    from:
                      uri: direct:message-file-copy-sink
                      steps:
                        - process:
                            ref: jsonLine
                        - to:
                            uri: "file:{{lepapon.data-dir}}"
                            parameters:
                              fileName: "file-copies/${header.LePaponEventFile}.jsonl"
                              fileExist: Append
                              charset: UTF-8
                """);
        super.setupResources();
    }

    @Override
    protected String routesIncludePattern() {
        return "file:" + routesDir + "/*.yaml";
    }

    @Test
    void extraRouteFileReceivesEvents() throws Exception {
        awaitConnected();
        simulator.send(Fixtures.frame("new_message.json"));

        Path copy = dataDir.resolve("copies/new_message.jsonl");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(copy) && !Files.readAllLines(copy).isEmpty());
        assertThat(parse(Files.readAllLines(copy).get(0)).path("message"))
                .isEqualTo(parse(Fixtures.frame("new_message.json")));
        Path fileCopy = dataDir.resolve("file-copies/new_message.jsonl");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(fileCopy) && !Files.readAllLines(fileCopy).isEmpty());
        assertThat(parse(Files.readAllLines(fileCopy).get(0)).path("message"))
                .isEqualTo(parse(Fixtures.frame("new_message.json")));
        assertThat(lines("new_message.jsonl")).hasSize(1);
    }

}
