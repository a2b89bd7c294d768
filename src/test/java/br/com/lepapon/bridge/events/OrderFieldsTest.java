package br.com.lepapon.bridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import br.com.lepapon.bridge.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderFieldsTest {

    private static OrderFields order(String fixture) throws Exception {
        ObjectNode message = (ObjectNode) EventJson.read(Fixtures.frame(fixture));
        return OrderFields.of(FeedEvent.of(message, OffsetDateTime.now()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // fixture                              | orderId  | total   | items | sessionId
        "new_order.json                         | 789      | 22      | 1     | \"5511900000001\"",
        "new_order_alternative_names.json       | \"A-1042\" | 57.9  | 2     | \"5511900000002\"",
        "new_order_missing_fields.json          | null     | null    | 0     | \"5511900000003\"",
        "new_order_nulls.json                   | null     | null    | 0     | null",
        "new_order_data_null.json               | null     | null    | 0     | null",
        "new_order_without_novo.json            | 790      | \"31.50\" | 1   | \"5511900000004\"",
        "new_order_wrong_types.json             | \"791\"  | \"22,50\" | 0   | 5511900000005",
    })
    void fixturesNormaliseToTheSameFields(String fixture, String orderId, String total, int items, String sessionId)
            throws Exception {
        OrderFields order = order(fixture.strip());
        assertThat(order.orderId()).hasToString(orderId.strip());
        assertThat(order.total()).hasToString(total.strip());
        assertThat(order.items()).hasSize(items);
        assertThat(order.sessionId()).hasToString(sessionId.strip());
    }

    @Test
    void numbersKeepTheirExactValue() throws Exception {
        String frame = "{\"event\":\"new_order\",\"data\":{\"novo\":{\"pedidosIds\":[123456789012345678901234567890],"
                + "\"valorTotal\":22.10}}}";
        OrderFields order = OrderFields.of(FeedEvent.of((ObjectNode) EventJson.read(frame), OffsetDateTime.now()));
        assertThat(order.orderId()).hasToString("123456789012345678901234567890");
        assertThat(order.total()).hasToString("22.10");
    }

    @Test
    void orderIdWinsOverPedidosIds() throws Exception {
        String frame = "{\"event\":\"new_order\",\"data\":{\"novo\":{\"orderId\":\"X-1\",\"pedidosIds\":[5]}}}";
        OrderFields order = OrderFields.of(FeedEvent.of((ObjectNode) EventJson.read(frame), OffsetDateTime.now()));
        assertThat(order.orderId().asText()).isEqualTo("X-1");
    }
}
