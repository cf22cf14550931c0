package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ConnectionScale} at 3,000 connections, so the 100,000-connection main stays honest. */
class ConnectionScaleTest {

    @Test
    void everyConnectionIsEstablishedAndTrackedOnBothNodes() {
        ConnectionScale.Result r = ConnectionScale.run(3000, 3, 2);
        assertEquals(3000, r.established());
        assertEquals(3000, r.conntrackA());
        assertEquals(3000, r.conntrackB());
        assertTrue(
                r.bytesPerConnection() > 0 && r.bytesPerConnection() < 100_000,
                "bytes per connection " + r.bytesPerConnection());
    }
}
