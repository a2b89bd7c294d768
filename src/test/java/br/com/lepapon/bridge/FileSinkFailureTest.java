package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The daily files survive an unwritable data folder and a full disk. The bridge stays connected, logs the failure,
 * keeps the lines in memory and writes them, in order, once the obstacle is gone. The obstacles work as root too:
 * a regular file where the day folder should be, and a daily file that is a symbolic link to /dev/full, where every
 * write fails with "No space left on device".
 */
class FileSinkFailureTest extends BridgeTestSupport {

    private static final int FRAMES = 100;

    @Override
    protected boolean captureLogs() {
        return true;
    }

    private Path dayFolder() {
        return dataDir.resolve(LocalDate.now(ZONE).toString());
    }

    private void sendBurst(int from, int to) {
        for (int i = from; i < to; i++) {
            simulator.send("{\"event\":\"burst\",\"data\":{\"novo\":{\"n\":" + i + "}}}");
        }
    }

    private List<Integer> burstNumbers() throws IOException {
        return records("burst.jsonl").stream()
                .map(line -> line.path("message").path("data").path("novo").path("n").asInt())
                .toList();
    }

    /** Returns the value of the sample whose name and labels start with {@code prefix}, or -1. */
    private double sample(String prefix) throws IOException, InterruptedException {
        HttpResponse<String> response = getManagement("/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    private List<String> writerErrors() {
        return logs.lines().stream().filter(line -> line.startsWith("br.com.lepapon.bridge.sinks.JsonLinesWriter ERROR"))
                .toList();
    }

    /** Sends frames while the obstacle is there, removes it, sends more, and checks that every line arrived. */
    private void assertRecovers(Path obstacle, String expectedError) throws Exception {
        awaitConnected();
        sendBurst(0, FRAMES);
        await().atMost(Duration.ofSeconds(10)).until(() -> sample("lepapon_file_lines_pending") == FRAMES);
        await().atMost(Duration.ofSeconds(10)).until(() -> sample("lepapon_file_write_failures_total") >= 2);
        assertThat(writerErrors()).first().asString()
                .contains(dayFolder().resolve("burst.jsonl").toString())
                .contains(expectedError)
                .contains("lines wait in memory");
        // Not lines(): reading /dev/full never ends.
        Path file = dayFolder().resolve("burst.jsonl");
        assertThat(Files.exists(file) ? Files.size(file) : 0).isZero();

        Files.delete(obstacle);
        sendBurst(FRAMES, 2 * FRAMES);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("burst.jsonl").size() >= 2 * FRAMES);

        List<Integer> numbers = burstNumbers();
        assertThat(numbers).hasSize(2 * FRAMES);
        for (int i = 0; i < 2 * FRAMES; i++) {
            assertThat(numbers.get(i)).as("line %d", i).isEqualTo(i);
        }
        assertThat(sample("lepapon_file_lines_lost_total")).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> sample("lepapon_file_lines_pending") == 0);
        assertThat(logs.lines()).anyMatch(line -> line.contains("JsonLinesWriter INFO Writing to")
                && line.contains("works again"));
        // Still the first connection: a disk problem does not touch the feed.
        assertThat(simulator.upgradeRequests()).isEqualTo(1);
        assertThat(simulator.openSockets()).isEqualTo(1);
        assertThat(sample("lepapon_feed_connected")).isEqualTo(1);
    }

    @Test
    void recoversWhenDayFolderCanBeCreatedAgain() throws Exception {
        Files.writeString(dayFolder(), "a regular file where the day folder should be");

        assertRecovers(dayFolder(), "is not a folder");
    }

    @Test
    void recoversWhenDiskHasSpaceAgain() throws Exception {
        Files.createDirectories(dayFolder());
        Path link = Files.createSymbolicLink(dayFolder().resolve("burst.jsonl"), Path.of("/dev/full"));

        assertRecovers(link, "No space left on device");
    }

    @Test
    void unwritableLinesAreSavedAtStop() throws Exception {
        Files.writeString(dayFolder(), "a regular file where the day folder should be");
        awaitConnected();
        sendBurst(0, FRAMES);
        await().atMost(Duration.ofSeconds(10)).until(() -> sample("lepapon_file_lines_pending") == FRAMES);

        context.stop();

        List<Integer> saved = Files.readAllLines(dataDir.resolve("unwritten-lines.jsonl")).stream()
                .map(BridgeTestSupport::parse)
                .peek(line -> assertThat(line.path("file").asText())
                        .isEqualTo(LocalDate.now(ZONE) + "/burst.jsonl"))
                .map(line -> parse(line.path("line").asText()).path("message").path("data").path("novo")
                        .path("n").asInt())
                .toList();
        assertThat(saved).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(saved.get(i)).as("saved line %d", i).isEqualTo(i);
        }
        assertThat(writerErrors()).last().asString().contains("Stopped with " + FRAMES + " lines");
    }
}
