/**
 * {@code kpsim diagnose}: reads a replayed capture per connection and answers "was my reset this
 * bug?". It finds every TCP reset, says what caused it (the INVALID-reply pattern, an application
 * reset, a closed port, a reset the node prevented, or a cause the capture does not show), and, for
 * the INVALID-reply pattern, which fix would have prevented it, checked by replaying the capture
 * again with that fix. Above {@code replay}; its result ({@link io.kpsim.diagnose.CaptureDiagnosis})
 * is plain data for the text, JSON and HTML views.
 */
package io.kpsim.diagnose;
