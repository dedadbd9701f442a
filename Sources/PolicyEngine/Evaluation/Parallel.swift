import Dispatch
import YAMLSource

/// Runs independent pieces of work on several threads and keeps results in
/// input order, so that output never depends on the number of threads.
public enum Parallel {
    /// The number of online processors (at least 1): the default for `--jobs`.
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// `(0..<count).map(body)`, evaluated by up to `jobs` threads that take
    /// the next index as they finish one (work items differ in size).
    public static func map<T>(_ count: Int, jobs: Int, _ body: (Int) -> T) -> [T] {
        let workers = min(max(1, jobs), count)
        if workers <= 1 { return (0..<count).map(body) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let next = Counter()
        // Each thread writes only the slots of the indexes it took.
        withoutActuallyEscaping(body) { body in
            let shared = UnsafeSendable((body, results))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let (body, results) = shared.value
                while true {
                    let i = next.take()
                    if i >= count { return }
                    results[i] = body(i)
                }
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            // Every index below count was taken and stored exactly once.
            if let r = results[i] { out.append(r) }
            results[i] = nil
        }
        return out
    }

    /// A shared index counter.
    final class Counter: @unchecked Sendable {
        private let lock = Lock()
        private var value = 0

        func take() -> Int {
            lock.withLock {
                defer { value += 1 }
                return value
            }
        }
    }

    /// Hands non-Sendable values to the worker threads of `map`, which
    /// synchronizes them itself.
    struct UnsafeSendable<V>: @unchecked Sendable {
        let value: V
        init(_ value: V) { self.value = value }
    }
}
