package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapShareTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void smallHeapGivesShare() {
        assertThat(HeapShare.of(64 * MIB, 8, 96 * MIB)).isEqualTo(12 * MIB);
    }

    @Test
    void largeHeapGivesCeiling() {
        assertThat(HeapShare.of(64 * MIB, 8, 6 * 1024 * MIB)).isEqualTo(64 * MIB);
    }

    @Test
    void unlimitedHeapGivesCeiling() {
        assertThat(HeapShare.of(64 * MIB, 8, Long.MAX_VALUE)).isEqualTo(64 * MIB);
    }
}
