package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * A match module kpsim does not evaluate, kept because {@code --unknown-match=ignore} asked for
 * it ({@link UnknownModules#IGNORE}): it matches every packet, prints back as written, and the
 * command that loaded it reports it. Its options are the words after {@code -m NAME} up to the
 * next {@code -m}, {@code -j}, {@code -g} or {@code ipt_ip} option ({@code -s -d -i -o -p}).
 *
 * @param module the module's name
 * @param options its words as written
 */
public record UnknownMatch(String module, List<String> options) implements Match {

    /** Copies the words. */
    public UnknownMatch {
        options = List.copyOf(options);
    }

    /** Reads the module's words after {@code -m module}. */
    static UnknownMatch read(String module, RuleWords words) {
        List<String> taken = new ArrayList<>();
        while (words.more()) {
            String w = words.peek();
            boolean boundary = switch (w) {
                case "-m",
                        "--match",
                        "-j",
                        "--jump",
                        "-g",
                        "--goto",
                        "-s",
                        "--source",
                        "-d",
                        "--destination",
                        "-i",
                        "--in-interface",
                        "-o",
                        "--out-interface",
                        "-p",
                        "--protocol" -> true;
                default -> false;
            };
            if (boundary) {
                break;
            }
            taken.add(words.next());
        }
        if (!taken.isEmpty() && taken.get(taken.size() - 1).equals("!")) {
            taken.remove(taken.size() - 1);
            words.negateNext(); // the '!' belongs to the next header option
        }
        return new UnknownMatch(module, taken);
    }

    @Override
    public boolean matches(Skb skb) {
        return true;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m ").append(module);
        for (String w : options) {
            out.append(' ');
            if (w.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"') || w.isEmpty()) {
                RuleText.quote(out, w);
            } else {
                out.append(w);
            }
        }
    }

    /** The module as written, for the report of what was ignored ({@code -m NAME OPTIONS}). */
    public String text() {
        StringBuilder s = new StringBuilder();
        save(s);
        return s.substring(1);
    }
}
