package br.com.lepapon.bridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import br.com.lepapon.bridge.sinks.LineQueue.QueuedLine;
import org.junit.jupiter.api.Test;

/** The bounded queue between the routes and the writer thread. Waits that must end early use a 60 s timeout. */
class LineQueueTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(60);

    private static QueuedLine line(String text) {
        return new QueuedLine("file.jsonl", text.getBytes());
    }

    private static CompletableFuture<ArrayDeque<QueuedLine>> takeAllAsync(LineQueue queue, long lingerNanos) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queue.takeAll(new ArrayDeque<>(), LONG_WAIT, lingerNanos);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static CompletableFuture<Void> putAsync(LineQueue queue, QueuedLine line) {
        return CompletableFuture.runAsync(() -> {
            try {
                queue.put(line);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void firstLineWakesIdleConsumer() throws Exception {
        LineQueue queue = new LineQueue(100, 1_000_000);
        CompletableFuture<ArrayDeque<QueuedLine>> taken = takeAllAsync(queue, 0);
        Thread.sleep(100);

        queue.put(line("a"));

        assertThat(taken.get(10, TimeUnit.SECONDS)).extracting(QueuedLine::file).containsExactly("file.jsonl");
    }

    @Test
    void halfFullQueueEndsLinger() throws Exception {
        LineQueue queue = new LineQueue(4, 1_000_000);
        CompletableFuture<ArrayDeque<QueuedLine>> taken = takeAllAsync(queue, LONG_WAIT);
        Thread.sleep(100);
        queue.put(line("a"));
        Thread.sleep(100);
        assertThat(taken).isNotDone();

        queue.put(line("b"));

        assertThat(taken.get(10, TimeUnit.SECONDS)).hasSize(2);
    }

    @Test
    void lingerEndsAfterItsTime() throws Exception {
        LineQueue queue = new LineQueue(100, 1_000_000);
        queue.put(line("a"));

        ArrayDeque<QueuedLine> taken = queue.takeAll(new ArrayDeque<>(), LONG_WAIT, TimeUnit.MILLISECONDS.toNanos(50));

        assertThat(taken).hasSize(1);
        assertThat(queue.size()).isZero();
    }

    @Test
    void putBlocksWhileBytesAreFull() throws Exception {
        LineQueue queue = new LineQueue(100, 10);
        queue.put(line("123456"));
        CompletableFuture<Void> second = putAsync(queue, line("7890ab"));
        assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        assertThat(queue.takeAll(new ArrayDeque<>(), LONG_WAIT, 0)).hasSize(1);

        second.get(10, TimeUnit.SECONDS);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void lineLargerThanBoundFitsEmptyQueue() throws Exception {
        LineQueue queue = new LineQueue(100, 10);

        queue.put(line("a line of more than ten bytes"));

        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void closedQueueRejectsLinesAndKeepsQueued() throws Exception {
        LineQueue queue = new LineQueue(1, 1_000_000);
        queue.put(line("a"));
        CompletableFuture<Void> blocked = putAsync(queue, line("b"));
        Thread.sleep(100);

        queue.close();

        assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queue.put(line("c"))).isInstanceOf(IllegalStateException.class);
        assertThat(queue.takeAll(new ArrayDeque<>(), LONG_WAIT, 0)).hasSize(1);
    }
}
