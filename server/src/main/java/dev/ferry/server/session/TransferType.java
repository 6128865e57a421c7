package dev.ferry.server.session;

/** TYPE (RFC 959 section 3.1.1): ASCII converts line endings, IMAGE sends bytes as they are. */
public enum TransferType {
    ASCII("ASCII"), IMAGE("BINARY");

    private final String label;

    TransferType(String label) {
        this.label = label;
    }

    /** vsftpd's wording: "Opening BINARY mode data connection". */
    public String label() {
        return label;
    }
}
