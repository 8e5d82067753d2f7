// Gives memory the allocator keeps but no longer uses back to the operating system. Beast-free.
//
// Why: after a burst (many connections, many request bodies) both tcmalloc and glibc keep the
// freed pages for reuse, so the process's resident size would stay at the burst's peak. The
// server calls this once a burst has been freed (server.cpp); docs/operations.md, "Limits".
#pragma once

#include <string_view>

namespace leadproc::http {

// tcmalloc (the server's allocator, CMakeLists.txt LEADPROC_TCMALLOC):
// MallocExtension_ReleaseFreeMemory; glibc's allocator: malloc_trim(0). Takes milliseconds.
// Thread-safe.
void release_free_memory();

// "tcmalloc" or "glibc": which of the two release_free_memory() uses (for the start-up log).
std::string_view memory_allocator_name();

}  // namespace leadproc::http
