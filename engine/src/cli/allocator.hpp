// How the sluice process asks glibc to manage memory.
#pragma once

namespace sluice::cli {

// Records' output blocks, write buffers and content being assembled come and go by the megabyte. glibc
// serves such sizes with mmap and returns them with munmap on free, so every new buffer is fresh pages: the
// page faults and the kernel zeroing those pages cost more CPU than formatting the records (the smart-meter
// job: 1.10 → 0.60–0.81 s user, 1.21 → 0.51–0.76 s sys for 200,000 rows; docs/benchmarks.md). Keeping them
// in the heap reuses the same pages. A GLIBC_TUNABLES setting for either threshold wins over this.
void keep_large_allocations_in_heap();

}  // namespace sluice::cli
