import YAMLSource

/// The results of calls of user-defined functions, kept for one run and
/// shared by all of its rules (and threads): a function called with the same
/// manifest map, such as `guestsOf(doc)` in four rules or `ownDomains(t)`
/// for every Power BI address inside `guestsOf`, is computed once per map.
///
/// Only calls whose result cannot depend on anything but the argument are
/// kept (`Compilation.userCall` decides): a function of one parameter whose
/// body reads no other document (`CompiledBody.readsDocuments`; so what a
/// rule reads of other documents, which `DocumentRuleCache` records, is the
/// same), called with a map written in a manifest (its identity is its
/// content: documents are immutable during a run; the entry keeps the map,
/// so its address is not reused). Errors are not kept: a call that fails
/// is evaluated again, and fails again, where it is made. A kept result
/// also keeps the evaluation steps it took, which a later call counts
/// again. That is the count of the first computation: a search of a long
/// list costs fewer steps in an activation that searched the same list
/// before (`Activation.listContains`), so near the budget a call can count
/// a few steps more or fewer than it would have computed afresh, as
/// already between threads.
public final class FunctionMemo: @unchecked Sendable {
    struct Key: Hashable {
        let function: ObjectIdentifier
        let argument: ObjectIdentifier
    }

    struct Entry {
        /// Keeps the argument's map alive (its address is the key).
        let argument: Value
        let result: Value
        let steps: Int
    }

    private var entries: [Key: Entry] = [:]
    private let lock = Lock()

    public init() {}

    func lookup(_ key: Key) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Keeps a result; when two threads computed it at once, the first stays
    /// (both are equal).
    func store(_ key: Key, _ entry: Entry) {
        lock.lock()
        defer { lock.unlock() }
        if entries[key] == nil { entries[key] = entry }
    }

    /// How many results are kept (for the tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
