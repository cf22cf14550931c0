package io.kpsim.conntrack;

import io.kpsim.property.Source;
import io.kpsim.property.StatefulProperty;
import io.kpsim.property.StatefulSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A stateful property test of {@link Conntrack}: random chains of TCP segments in both directions
 * of five flows (SYN, SYN/ACK, ACK, data, FIN, RST, retransmissions, port reuse with a new ISN,
 * out-of-window sequence and acknowledgement numbers, invalid flag combinations, bad checksums,
 * packets a later hook drops), well-behaved handshakes, exchanges and closes, clock jumps across
 * the timeouts and {@code conntrack -L}, on both kernel profiles, under random sysctls ({@code
 * be_liberal}, {@code loose}, {@code max_retrans}, {@code ignore_invalid_rst} on 6.18) and an
 * {@code nf_conntrack_max} of 2 to 64 (early drop and "table full").
 *
 * <p>After every step ({@link ChainMachine}): the free list and the entry counts agree with the
 * entries; each confirmed entry has both tuplehashes in the table and every other entry has
 * neither; the table holds exactly the tuples of a reference map built from the tracker's answers
 * (a NEW entry's two tuples from its confirmation on, until the entry dies); and a packet whose
 * tuple the map knows is given that entry and direction, or a fresh entry only when the old one
 * died on the way. No step may throw. The run fails too if its chains stop reaching established
 * connections, ignored and out-of-window packets, a full table, early drop or a reopened
 * connection as often as they do now (with a wide margin).
 *
 * <p>The harness is {@link io.kpsim.property}: {@value #TRIES} chains of {@value #STEPS} steps by
 * default (a few seconds). A failure is shrunk and reported with its seed and the command that
 * replays it; {@code -Dkpsim.property.tries=20000} searches longer, {@code
 * -Dkpsim.property.runSeed=N} searches other chains (see {@link io.kpsim.property.PropertySettings}).
 *
 * <p>It finds bugs: with the {@code removeKey} of the REPLY tuple deleted from {@code
 * EntryTable.kill} (an entry that dies leaves its reply tuple behind), the default run fails on its
 * first chain and shrinks it from 34 steps to three: a SYN, a clock jump past SYN_SENT's timeout,
 * and an ACK on the same flow, whose lookup finds the expired entry and kills it (the README shows
 * the report). {@code io.kpsim.property.StatefulPropertyTest} tests the harness itself.
 */
class ConntrackStatefulPropertyTest implements StatefulSpec<ChainConfig, ChainStep, ChainMachine> {

    static final int TRIES = 200;
    static final int STEPS = 60;

    @Test
    void conntrackKeepsItsTablesAndItsAnswersConsistent() {
        StatefulProperty.of("conntrack keeps its tables and its answers consistent", this)
                .tries(TRIES)
                .chainLength(STEPS)
                .requireCoverage(ChainMachine.ESTABLISHED, 50)
                .requireCoverage(ChainMachine.IGNORED, 30)
                .requireCoverage(ChainMachine.OUT_OF_WINDOW, 20)
                .requireCoverage(ChainMachine.TABLE_FULL, 5)
                .requireCoverage(ChainMachine.EARLY_DROP, 5)
                .requireCoverage(ChainMachine.REOPENED, 2)
                .check();
    }

    @Override
    public ChainConfig config(Source random) {
        return ChainConfig.draw(random);
    }

    @Override
    public ChainStep step(Source random, ChainConfig config) {
        return ChainStep.draw(random);
    }

    @Override
    public ChainMachine start(ChainConfig config) {
        return new ChainMachine(config);
    }

    @Override
    public void apply(ChainMachine machine, ChainStep step) {
        step.applyTo(machine);
    }

    @Override
    public void checkInvariants(ChainMachine machine) {
        machine.checkInvariants();
    }

    @Override
    public Set<String> reached(ChainMachine machine) {
        return machine.reached();
    }

    @Override
    public List<ChainConfig> simplerConfigs(ChainConfig config) {
        return config.simpler();
    }

    @Override
    public List<List<ChainStep>> simplerSteps(ChainStep step) {
        return step.simpler();
    }
}
