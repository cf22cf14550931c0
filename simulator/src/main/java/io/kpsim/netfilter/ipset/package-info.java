/**
 * ipset sets as {@code -m set --match-set} tests them: the set types kube-proxy's neighbours
 * use (Calico, kube-router, Docker, firewalld: {@code hash:ip}, {@code hash:net},
 * {@code hash:ip,port}, {@code hash:net,port}, {@code hash:ip,port,ip}, {@code hash:ip,port,net},
 * {@code bitmap:port}, {@code bitmap:ip}, {@code list:set}), read from {@code ipset save} (or
 * {@code ipset restore}) text. Depends on {@code packet} and {@code fault} only.
 */
package io.kpsim.netfilter.ipset;
