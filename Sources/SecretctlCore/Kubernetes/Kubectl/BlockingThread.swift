#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs blocking I/O (a pipe read or write) on a thread of its own, so it never
/// holds one of the few threads of Swift's cooperative pool.
enum BlockingThread {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let box = ThreadWork { continuation.resume(returning: body()) }
            let context = Unmanaged.passRetained(box).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { raw in
                let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! ThreadWork
                box.work()
                return nil
            }, context)
            if started == 0 {
                pthread_detach(thread)
            } else {
                // No thread: do the work here rather than fail.
                Unmanaged<AnyObject>.fromOpaque(context).release()
                box.work()
            }
        }
    }
}

/// The work handed to a new thread through its single pointer argument.
private final class ThreadWork: @unchecked Sendable {
    let work: () -> Void
    init(_ work: @escaping () -> Void) { self.work = work }
}
