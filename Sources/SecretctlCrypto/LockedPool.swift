#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The memory behind `SecureBytes`: locked into RAM once (best effort) and reused after a wipe.
///
/// `mlock`/`munlock` per buffer cost more than decrypting it (two syscalls that walk every page,
/// about 0.2 ms per MiB), and `munlock` of a small buffer also unlocked any other buffer sharing
/// its page. Here blocks are whole pages or slots in a page-aligned slab, locked when first
/// mapped and kept locked while they are cached; a freed block is wiped by its owner before it
/// comes back, so every cached block holds only zeros.
///
/// Sizes: up to `slabClassLimit` bytes, power-of-two slots carved out of slabs (never
/// unmapped) that start at one page and double up to `slabSize`; above it, one mapping per
/// block (power-of-two sizes up to 1 MiB, then whole MiB), of which at most `cacheLimit` bytes are kept for reuse and the rest unmapped.
enum LockedPool {
    static let slabClassLimit = 4096
    static let slabSize = 64 << 10
    static let cacheLimit = 4 << 20
    static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// A block of `capacity` zeroed bytes.
    struct Block {
        let base: UnsafeMutableRawPointer
        let capacity: Int
    }

    private struct State: ~Copyable {
        /// Free blocks (addresses) by capacity.
        var free: [Int: [UInt]] = [:]
        /// The unused tail of the newest slab of each small class.
        var slabTail: [Int: (address: UInt, remaining: Int)] = [:]
        /// The size of the newest slab of each small class.
        var slabBytes: [Int: Int] = [:]
        /// Bytes of large blocks on `free`.
        var cachedLargeBytes = 0
    }

    private static let state = Mutex(State())

    /// The capacity of the block that serves `count` bytes.
    static func capacity(for count: Int) -> Int {
        precondition(count >= 0, "negative size")
        let mebibyte = 1 << 20
        if count > mebibyte { return (count + mebibyte - 1) / mebibyte * mebibyte }
        let wanted = max(count, 16)
        let power = 1 << (Int.bitWidth - (wanted - 1).leadingZeroBitCount)
        return power > slabClassLimit ? max(power, pageSize) : power
    }

    /// A zeroed block of at least `count` bytes.
    static func allocate(_ count: Int) -> Block {
        let capacity = capacity(for: count)
        let reused: UInt? = state.withLock { state in
            if let address = state.free[capacity]?.popLast() {
                if capacity > slabClassLimit { state.cachedLargeBytes -= capacity }
                return address
            }
            guard capacity <= slabClassLimit else { return nil }
            if let tail = state.slabTail[capacity], tail.remaining >= capacity {
                state.slabTail[capacity] = (tail.address + UInt(capacity), tail.remaining - capacity)
                return tail.address
            }
            // A process that holds a key and three values needs a few small blocks per class:
            // a first slab of one page instead of 64 KiB saves faulting in, zeroing and
            // locking 15 pages per class on every start.
            let size = state.slabBytes[capacity].map { min($0 * 2, slabSize) } ?? max(pageSize, capacity)
            state.slabBytes[capacity] = size
            let slab = map(size)
            state.slabTail[capacity] = (UInt(bitPattern: slab) + UInt(capacity), size - capacity)
            return UInt(bitPattern: slab)
        }
        if let reused { return Block(base: UnsafeMutableRawPointer(bitPattern: reused)!, capacity: capacity) }
        return Block(base: map(capacity), capacity: capacity)
    }

    /// Takes back a block whose bytes are all zero again.
    static func deallocate(_ block: Block) {
        let address = UInt(bitPattern: block.base)
        let kept = state.withLock { state in
            if block.capacity <= slabClassLimit {
                state.free[block.capacity, default: []].append(address)
                return true
            }
            guard state.cachedLargeBytes + block.capacity <= cacheLimit else { return false }
            state.cachedLargeBytes += block.capacity
            state.free[block.capacity, default: []].append(address)
            return true
        }
        // Unmapping also unlocks.
        if !kept { munmap(block.base, block.capacity) }
    }

    /// Unmaps every cached large block (small slabs stay); for tests and benchmarks that
    /// measure a cold allocation.
    static func releaseCachedBlocks() {
        let blocks: [(UInt, Int)] = state.withLock { state in
            var blocks: [(UInt, Int)] = []
            for (capacity, addresses) in state.free where capacity > slabClassLimit {
                blocks += addresses.map { ($0, capacity) }
                state.free[capacity] = nil
            }
            state.cachedLargeBytes = 0
            return blocks
        }
        for (address, capacity) in blocks { munmap(UnsafeMutableRawPointer(bitPattern: address), capacity) }
    }

    /// Fresh zeroed pages, locked where the system allows (`RLIMIT_MEMLOCK`).
    private static func map(_ size: Int) -> UnsafeMutableRawPointer {
        let length = (size + pageSize - 1) / pageSize * pageSize
        guard let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            pointer != MAP_FAILED
        else {
            fatalError("SecureBytes: out of memory (mmap of \(length) bytes failed)")
        }
        _ = mlock(pointer, length)
        #if os(Linux)
        // Keep secrets out of core dumps even if dumps get turned back on.
        _ = madvise(pointer, length, MADV_DONTDUMP)
        #endif
        return pointer
    }
}
