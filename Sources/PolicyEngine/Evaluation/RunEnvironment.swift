import YAMLSource

/// The documents of one run as expression values, indexed by kind and name:
/// what `documents(kind)` and `document(kind, name)` read.
/// (Not final: `DocumentRuleCache` watches what a document's rules read
/// through a subclass.)
public class RunEnvironment: EvaluationEnvironment, @unchecked Sendable {
    public let today: Int
    let documents: [ManifestDocument]
    let values: [Value]
    private let byKind: [String: [Int]]
    /// The values of `byKind`, ready to hand out: rules call `documents` once
    /// per document (or per item), so it must not copy a run's worth of values.
    private let valuesByKind: [String: [Value]]
    private let byName: [String: Int]
    /// The indexes of indexed functions built so far in this run.
    private var functionIndexes: [ObjectIdentifier: FunctionIndex] = [:]
    private let indexLock = Lock()
    /// The indexes a previous run of the same documents (most of them)
    /// built, by definition: building one again reuses the keys of the
    /// items that are the same maps (`DocumentRuleCache` keeps them).
    var previousIndexes: [ObjectIdentifier: FunctionIndex] = [:]
    /// The results of user-defined functions' calls in this run, shared by
    /// every rule (and by the environments made from this one).
    public let functionMemo: FunctionMemo?

    func previousIndex(_ definition: IndexDefinition) -> FunctionIndex? {
        previousIndexes[ObjectIdentifier(definition)]
    }

    /// The indexes built in this run, by definition.
    var builtIndexes: [ObjectIdentifier: FunctionIndex] { indexLock.withLock { functionIndexes } }

    public convenience init(documents: [ManifestDocument], schema: JSONSchema, validator: SchemaValidator, today: Int) {
        self.init(documents: documents, schema: schema, context: SchemaContext(validator: validator), today: today)
    }

    /// When false, the values outlive the environment (their owner, such as
    /// a cache kept between runs, calls `MapValue.releaseEntries` itself).
    let ownsValues: Bool

    /// Whether the indexes of indexed functions keep each item's keys
    /// (`FunctionIndex.itemKeys`), which only a later run reads: a
    /// `DocumentRuleCache` keeps a run's indexes. False for a run whose
    /// indexes go with it (a lint without a cache).
    public let keepsIndexKeys: Bool

    /// Documents whose `value` was built ahead with `context` keep it. With
    /// `ownsValues` false, the environment does not free the documents'
    /// values when it goes (a `LintCache` keeps them for the next run).
    public init(documents: [ManifestDocument], schema: JSONSchema, context: SchemaContext, today: Int,
                ownsValues: Bool = true, keepsIndexKeys: Bool = true) {
        self.today = today
        self.ownsValues = ownsValues
        self.keepsIndexKeys = keepsIndexKeys
        self.functionMemo = FunctionMemo()
        let ordered = documents.sorted { ($0.fileIndex, $0.documentIndex) < ($1.fileIndex, $1.documentIndex) }
        self.documents = ordered
        let values = ordered.map { $0.value ?? Value.from($0.root, schemas: [schema.root], anchor: nil, context: context) }
        self.values = values
        var byKind: [String: [Int]] = [:]
        var byName: [String: Int] = [:]
        for (i, d) in ordered.enumerated() {
            byKind[d.kind, default: []].append(i)
            if let n = d.name {
                let key = d.kind + "\u{0}" + n
                if byName[key] == nil { byName[key] = i }  // the first wins, as TL010 reports the rest
            }
        }
        self.byKind = byKind
        self.valuesByKind = byKind.mapValues { $0.map { values[$0] } }
        self.byName = byName
    }

    /// Some of `environment`'s documents (indexes into its sorted
    /// documents, ascending), with their values; it never frees them. For
    /// rules that read only the document they judge (`DocumentRuleCache`).
    init(subsetOf environment: RunEnvironment, _ indexes: [Int]) {
        self.today = environment.today
        self.ownsValues = false
        self.keepsIndexKeys = environment.keepsIndexKeys
        self.functionMemo = environment.functionMemo
        let documents = indexes.map { environment.documents[$0] }
        let values = indexes.map { environment.values[$0] }
        self.documents = documents
        self.values = values
        var byKind: [String: [Int]] = [:]
        var byName: [String: Int] = [:]
        for (i, d) in documents.enumerated() {
            byKind[d.kind, default: []].append(i)
            if let n = d.name {
                let key = d.kind + "\u{0}" + n
                if byName[key] == nil { byName[key] = i }
            }
        }
        self.byKind = byKind
        self.valuesByKind = byKind.mapValues { $0.map { values[$0] } }
        self.byName = byName
    }

    /// Frees the run's document values (see `MapValue.releaseEntries`);
    /// `values` holds every document's value, built ahead or here.
    deinit {
        guard ownsValues else { return }
        for v in values { v.mapValue?.releaseEntries() }
    }

    public func documents(ofKind kind: String) -> [Value] {
        valuesByKind[kind] ?? []
    }

    public func document(ofKind kind: String, named name: String) -> Value? {
        byName[kind + "\u{0}" + name].map { values[$0] }
    }

    /// Built outside the lock (an index's `keys` may call another indexed
    /// function); when two threads build the same index at once, the first
    /// stored wins (both are equal).
    public func functionIndex(_ key: ObjectIdentifier, build: () -> FunctionIndex) -> FunctionIndex {
        if let known = indexLock.withLock({ functionIndexes[key] }) { return known }
        let built = build()
        return indexLock.withLock {
            if let known = functionIndexes[key] { return known }
            functionIndexes[key] = built
            return built
        }
    }

    /// Looks `keys` up in an indexed function's index (what the compiled
    /// call does; `DocumentRuleCache` records the lookups of each document).
    func lookup(_ index: FunctionIndex, _ keys: Value, function: String) throws(EvaluationError) -> Value {
        try index.lookup(keys, function: function)
    }

    func indexes(ofKind kind: String) -> [Int] {
        byKind[kind] ?? []
    }
}
