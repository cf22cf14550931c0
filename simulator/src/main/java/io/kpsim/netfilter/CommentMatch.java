package io.kpsim.netfilter;

/**
 * {@code -m comment --comment TEXT}: always matches ({@code comment_mt()}); kube-proxy labels
 * every service rule with one. {@code iptables-save} always double-quotes the text.
 *
 * @param text the comment, at most 255 characters ({@code XT_MAX_COMMENT_LEN} - 1)
 */
public record CommentMatch(String text) implements Match {

    /** Validates the length. */
    public CommentMatch {
        if (text == null || text.length() > 255) {
            throw new IllegalArgumentException("comment must be at most 255 characters");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        return true;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m comment --comment ");
        RuleText.quote(out, text);
    }
}
