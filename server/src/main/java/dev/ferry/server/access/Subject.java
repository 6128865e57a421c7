package dev.ferry.server.access;

/** Whom a rule is for. More specific subjects win over less specific ones at the same path. */
sealed interface Subject {

    boolean matches(Identity identity);

    /** Higher wins: a named user over a group, a group over a class, a class over everyone. */
    int specificity();

    /** The spelling in the rules file. */
    String token();

    static Subject parse(String token) {
        return switch (token) {
            case "*" -> new Everyone();
            case "anonymous" -> new Anonymous();
            case "local" -> new Local();
            default -> {
                if (token.startsWith("@")) {
                    if (token.length() == 1) {
                        throw new IllegalArgumentException("'@' needs a group name");
                    }
                    yield new Group(token.substring(1));
                }
                yield new Named(token);
            }
        };
    }

    record Everyone() implements Subject {
        public boolean matches(Identity identity) {
            return true;
        }

        public int specificity() {
            return 0;
        }

        public String token() {
            return "*";
        }
    }

    record Anonymous() implements Subject {
        public boolean matches(Identity identity) {
            return identity.anonymous();
        }

        public int specificity() {
            return 1;
        }

        public String token() {
            return "anonymous";
        }
    }

    record Local() implements Subject {
        public boolean matches(Identity identity) {
            return !identity.anonymous();
        }

        public int specificity() {
            return 1;
        }

        public String token() {
            return "local";
        }
    }

    record Group(String name) implements Subject {
        public boolean matches(Identity identity) {
            return !identity.anonymous() && identity.groups().contains(name);
        }

        public int specificity() {
            return 2;
        }

        public String token() {
            return "@" + name;
        }
    }

    /** A local user by name; anonymous sessions never match one, whatever ftp_username says. */
    record Named(String name) implements Subject {
        public boolean matches(Identity identity) {
            return !identity.anonymous() && identity.name().equals(name);
        }

        public int specificity() {
            return 3;
        }

        public String token() {
            return name;
        }
    }
}
