package io.kpsim.cluster;

/** A running program built from a {@link WorkloadSpec}. */
interface Workload {

    /** Schedules or opens whatever the program does first; called once before the run. */
    void start();
}
