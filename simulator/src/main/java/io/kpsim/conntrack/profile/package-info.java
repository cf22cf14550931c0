/**
 * Which kernel conntrack and NAT behave like: the catalogue of behaviour changes between Linux
 * 4.14 and 6.18 ({@link io.kpsim.conntrack.profile.Switch}, one constant per upstream commit, with
 * its first mainline release, its stable backports and the code it changes, kept in the resource
 * {@code switches.txt} and read by {@link io.kpsim.conntrack.profile.SwitchCatalogue}), the nine
 * {@link io.kpsim.conntrack.profile.KernelProfile}s pinned to named releases, any other release of
 * their lines ({@link io.kpsim.conntrack.profile.Kernel#at}), and what a user's {@code uname -r}
 * string maps to ({@link io.kpsim.conntrack.profile.KernelChoice}).
 *
 * <p>Plain data with no dependency: {@code io.kpsim.conntrack} and {@code io.kpsim.netfilter}
 * read the switches once, when a tracker or NAT engine is built, and keep the answers in final
 * fields. {@code src/docs/kernels.md} is the table of profiles against switches.
 */
package io.kpsim.conntrack.profile;
