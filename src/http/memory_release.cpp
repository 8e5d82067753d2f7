#include "http/memory_release.h"

#include <malloc.h>

// Declared weak: defined only when tcmalloc is linked in (gperftools' C API,
// gperftools/malloc_extension_c.h, whose header Debian ships only in the -dev package).
extern "C" void MallocExtension_ReleaseFreeMemory(void) __attribute__((weak));
extern "C" void MallocExtension_MarkThreadTemporarilyIdle(void) __attribute__((weak));

namespace leadproc::http {

void release_free_memory() {
  if (MallocExtension_ReleaseFreeMemory != nullptr) {
    // The calling thread's cache of small objects first (what a burst of connections freed on
    // this network thread), so that whole pages of them become free and can be released.
    if (MallocExtension_MarkThreadTemporarilyIdle != nullptr)
      MallocExtension_MarkThreadTemporarilyIdle();
    MallocExtension_ReleaseFreeMemory();
  } else {
    ::malloc_trim(0);
  }
}

std::string_view memory_allocator_name() {
  return MallocExtension_ReleaseFreeMemory != nullptr ? "tcmalloc" : "glibc";
}

}  // namespace leadproc::http
