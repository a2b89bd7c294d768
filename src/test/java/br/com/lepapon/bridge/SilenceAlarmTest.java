package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** A silence rule with a short window fires (log, metric, readiness message) and clears when an order arrives. */
class SilenceAlarmTest extends BridgeTestSupport {

    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        // 0.05 minutes is 3 s; a window that starts and ends at 00:00 is the whole day.
        properties.put("lepapon.alarm.silence", "new_order,0.05,00:00-00:00");
        return properties;
    }

    private String get(String path) throws IOException, InterruptedException {
        return getManagement(path).body();
    }

    private boolean alarmMetricIs(int value) throws IOException, InterruptedException {
        return get("/observe/metrics").lines()
                .anyMatch(line -> line.startsWith("lepapon_silence_alarm{type=\"new_order\"} " + value + ".0"));
    }

    @Test
    void alarmFiresAndClears() throws Exception {
        awaitConnected();
        await().atMost(Duration.ofSeconds(10)).until(() -> alarmMetricIs(1));
        assertThat(get("/observe/health/ready?exposureLevel=full")).contains("silence alarm: no new_order event since");
        assertThat(logs.lines()).anyMatch(line -> line.contains("Silence alarm: no new_order event since"));

        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> alarmMetricIs(0));
        assertThat(get("/observe/health/ready?exposureLevel=full")).doesNotContain("silence alarm");
        assertThat(logs.lines()).anyMatch(line -> line.contains("Silence alarm cleared: a new_order event arrived"));
    }

}
