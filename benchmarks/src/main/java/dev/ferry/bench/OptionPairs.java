package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;

/** A command line of "--name value" options, read in order; {@code --help} or {@code -h} asks for the usage. */
final class OptionPairs {

    record Option(String name, String value) {
    }

    private OptionPairs() {
    }

    /** The options of {@code args}; IllegalArgumentException with {@code usage} for help or a missing value. */
    static List<Option> of(String[] args, String usage) {
        List<Option> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + usage);
            }
            options.add(new Option(name, args[++i]));
        }
        return options;
    }
}
