package io.kpsim.cluster;

import io.kpsim.fault.UserFault;

/**
 * The model refuses to build the cluster it was described: two objects with one address, a pod
 * outside its node's pod CIDR, a service pointing at a pod that does not exist, a sysctl value the
 * kernel would refuse. The description comes from the user (a scenario), so this is a
 * {@link UserFault}: one line naming the objects, which the CLI prints against the scenario file.
 *
 * <p>Thrown only by {@link ClusterBuilder#build()} and its checks ({@code ClusterValidation}); any
 * other exception out of the cluster model is a kpsim bug.
 */
public final class ClusterSpecException extends UserFault {

    private static final long serialVersionUID = 1L;

    /** A refusal described in one line. */
    public ClusterSpecException(String message) {
        super(message);
    }

    /** A refusal described in one line, with the lower-level reason. */
    public ClusterSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
