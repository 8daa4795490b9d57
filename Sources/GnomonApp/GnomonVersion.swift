/// Gnomon's version, printed by `gnomon --version`.
public enum GnomonVersion {
    public static let current = "0.1.0"
}
