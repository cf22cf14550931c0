package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.packet.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chain names of kube-proxy.md §2.2, each recomputed from kube-proxy's test data or real dumps. */
class KubeChainNamesTest {

    @ParameterizedTest
    @CsvSource({
        "ns1/svc1:p80, TCP, KUBE-SVC-XPGD46QRK7WJZT7O",
        "ns2/svc2:p80, TCP, KUBE-SVC-GNZBNJ2PO5MGZ6GT",
        "ns3/svc3:p80, TCP, KUBE-SVC-X27LE4BHSL4DOUIK",
        "ns4/svc4:p80, TCP, KUBE-SVC-4SW47YFZTEDKD3PK",
        "ns5/svc5:p80, TCP, KUBE-SVC-NUKIZ6OKUXPJNT4C",
        "ns1/svc1, TCP, KUBE-SVC-AQI2S6QIMU7PVVRP",
        "kube-system/kube-dns:dns, UDP, KUBE-SVC-TCOU7JCQXEZGVUNU",
        "default/kubernetes:https, TCP, KUBE-SVC-NPX46M4PTMTKRN6Y",
        "ch20/web:http, TCP, KUBE-SVC-IFRSJQYNFWED4CMW",
        "s11-compare/demo-deploy:http, TCP, KUBE-SVC-JNUHEV74HZUD6QDF",
    })
    void serviceChains(String servicePortName, Protocol protocol, String expected) {
        assertEquals(expected, KubeChainNames.serviceChain(servicePortName, protocol));
    }

    @ParameterizedTest
    @CsvSource({
        "ns1/svc1:p80, 10.180.0.1:80, KUBE-SEP-SXIVWICOYRO3J4NJ",
        "ns2/svc2:p80, 10.180.0.2:80, KUBE-SEP-RS4RBKLTHTF2IUXJ",
        "ns4/svc4:p80, 10.180.0.4:80, KUBE-SEP-UKSFD7AGPMPPLUHC",
        "ns4/svc4:p80, 10.180.0.5:80, KUBE-SEP-C6EBXVWJJZMIWKLZ",
        "ns1/svc1, 10.0.1.1:80, KUBE-SEP-3JOIVZTXZZRGORX4",
        "ns1/svc1, 10.0.1.2:80, KUBE-SEP-IO5XOSKPAXIFQXAJ",
        "ns1/svc1, 10.0.1.3:80, KUBE-SEP-XGJFVO3L2O5SRFNT",
        "ch20/web:http, 10.244.0.194:8080, KUBE-SEP-NFL37PQ3XGPAYNBX",
        "s11-compare/demo-deploy:http, 10.244.0.116:80, KUBE-SEP-ZV5BUHAWYSTRPWJW",
    })
    void endpointChains(String servicePortName, String endpoint, String expected) {
        assertEquals(expected, KubeChainNames.endpointChain(servicePortName, Protocol.TCP, endpoint));
    }

    @Test
    void probabilitiesAreKubeProxysTenDecimals() {
        assertEquals("0.3333333333", KubeProxyRules.computeProbability(3));
        assertEquals("0.5000000000", KubeProxyRules.computeProbability(2));
        assertEquals("0.1428571429", KubeProxyRules.computeProbability(7));
    }

    @Test
    void kernelStoresProbabilityIn31BitsAndPrintsElevenDecimals() {
        assertEquals(
                "0.33333333349",
                StatisticMatch.ofProbability(0.3333333333, false).probabilityText());
        assertEquals("0.50000000000", StatisticMatch.ofProbability(0.5, false).probabilityText());
        assertEquals("0.20000000019", StatisticMatch.ofProbability(0.2, false).probabilityText());
        assertEquals("0.25000000000", StatisticMatch.ofProbability(0.25, false).probabilityText());
    }
}
