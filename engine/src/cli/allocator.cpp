#include "cli/allocator.hpp"

#include <cstdlib>
#include <malloc.h>
#include <string_view>

namespace sluice::cli {

void keep_large_allocations_in_heap() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");  // NOLINT(concurrency-mt-unsafe): before threads
  if (tunables != nullptr) {
    const std::string_view set(tunables);
    if (set.find("malloc.mmap_threshold") != std::string_view::npos ||
        set.find("malloc.trim_threshold") != std::string_view::npos) {
      return;
    }
  }
  constexpr int kMmapThreshold = 4 << 20;   // only larger blocks (big arrays) get their own mapping
  constexpr int kTrimThreshold = 32 << 20;  // free memory at the heap's top kept for reuse up to this
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

}  // namespace sluice::cli
