/// tenantlint's version, as `--version` prints it and reports name it.
public enum Version {
    public static let current = "0.1.0"
}
