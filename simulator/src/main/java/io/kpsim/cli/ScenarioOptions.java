package io.kpsim.cli;

import io.kpsim.conntrack.profile.KernelProfile;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options that change a scenario before it runs ({@code --set}, {@code --seed}, {@code --kernel},
 * the two fixes, the kube-proxy mode and release), as the {@code spec.*} overrides they stand for;
 * a mixin of {@code run} and {@code rules}, declared through picocli's programmatic API
 * ({@link #mixin()}, {@link CommandModel}).
 */
final class ScenarioOptions implements Binding.Fields {

    /** {@code --set KEY.PATH=VALUE}, in the order given. */
    List<String> sets = new ArrayList<>();

    /** {@code --seed N}. */
    Long seed;

    /** {@code --kernel KERNEL}, as given. */
    String kernel;

    /** {@code --be-liberal}. */
    boolean beLiberal;

    /** {@code --drop-invalid}. */
    boolean dropInvalid;

    /** {@code --proxy-mode}, as given. */
    String proxyMode;

    /** {@code --kube-proxy-version}, as given. */
    String kubeProxyVersion;

    /** These options as a picocli mixin bound to this object's fields (see {@link CommandModel}). */
    CommandSpec mixin() {
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(this);
        mixin.addOption(CommandModel.option("sets", List.class, this, "--set")
                .auxiliaryTypes(String.class)
                .paramLabel("KEY.PATH=VALUE")
                .description(
                        "Override a scenario value before it is checked, e.g. spec.links[0].loss=1%% (repeatable).")
                .build());
        mixin.addOption(CommandModel.option("seed", Long.class, this, "--seed")
                .paramLabel("N")
                .description("Use this seed instead of the scenario's.")
                .build());
        mixin.addOption(CommandModel.option("kernel", String.class, this, "--kernel")
                .paramLabel("KERNEL")
                .description("Use this kernel instead of the scenario's: a profile (4.14 ... 6.18, see kpsim kernels)"
                        + " or a uname -r string, mapped to its profile.")
                .build());
        mixin.addOption(CommandModel.option("beLiberal", boolean.class, this, "--be-liberal")
                .description("Set net.netfilter.nf_conntrack_tcp_be_liberal=1 (the blog's fix 1).")
                .build());
        mixin.addOption(CommandModel.option("dropInvalid", boolean.class, this, "--drop-invalid")
                .description(
                        "Add KUBE-FORWARD's '-m conntrack --ctstate INVALID -j DROP' (fix 2, kubernetes PR 74840).")
                .build());
        mixin.addOption(CommandModel.option("proxyMode", String.class, this, "--proxy-mode")
                .paramLabel("iptables|nftables")
                .description("Run kube-proxy in this mode instead of the scenario's.")
                .build());
        mixin.addOption(CommandModel.option("kubeProxyVersion", String.class, this, "--kube-proxy-version")
                .paramLabel("1.14..1.34")
                .description("The kube-proxy release whose rules the nodes run (nftables mode: 1.29+; iptables mode:"
                        + " 1.14 writes no INVALID drop, 1.15+ do, 1.29+ not with be_liberal).")
                .build());
        return mixin;
    }

    @Override
    public Object get(String field) {
        return switch (field) {
            case "sets" -> sets;
            case "seed" -> seed;
            case "kernel" -> kernel;
            case "beLiberal" -> beLiberal;
            case "dropInvalid" -> dropInvalid;
            case "proxyMode" -> proxyMode;
            case "kubeProxyVersion" -> kubeProxyVersion;
            default -> throw Binding.noSuchField(this, field);
        };
    }

    @Override
    @SuppressWarnings("unchecked") // --set is declared as a list of strings
    public void set(String field, Object value) {
        switch (field) {
            case "sets" -> sets = (List<String>) value;
            case "seed" -> seed = (Long) value;
            case "kernel" -> kernel = (String) value;
            case "beLiberal" -> beLiberal = (Boolean) value;
            case "dropInvalid" -> dropInvalid = (Boolean) value;
            case "proxyMode" -> proxyMode = (String) value;
            case "kubeProxyVersion" -> kubeProxyVersion = (String) value;
            default -> throw Binding.noSuchField(this, field);
        }
    }

    /** The {@code --set} overrides, followed by the ones the flags stand for (so the flags win). */
    List<String> overrides() {
        List<String> all = new ArrayList<>(sets);
        if (seed != null) {
            all.add("spec.seed=" + seed);
        }
        if (kernel != null) {
            try {
                all.add("spec.kernel=" + KernelProfile.parse(kernel).label());
            } catch (IllegalArgumentException e) {
                throw new UserError("--kernel: " + e.getMessage());
            }
        }
        if (beLiberal) {
            all.add("spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1");
        }
        if (dropInvalid) {
            all.add("spec.kubeProxy.dropInvalid=true");
        }
        if (proxyMode != null) {
            if (!proxyMode.equals("iptables") && !proxyMode.equals("nftables")) {
                throw new UserError("--proxy-mode " + proxyMode + ": expected iptables or nftables");
            }
            all.add("spec.kubeProxy.mode=" + proxyMode);
        }
        if (kubeProxyVersion != null) {
            all.add("spec.kubeProxy.version=" + kubeProxyVersion);
        }
        return all;
    }
}
