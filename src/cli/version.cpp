#include "cli/version.h"

// Generated at build time (cmake/build_commit.cmake, into the build folder); defines
// LEADPROC_GIT_COMMIT.
#include "cli/build_commit.h"

#ifndef LEADPROC_VERSION
#error "LEADPROC_VERSION is defined by CMakeLists.txt for this file"
#endif

namespace leadproc::cli {

std::string version_text() {
  std::string text = "leadproc " LEADPROC_VERSION;
  const std::string commit = LEADPROC_GIT_COMMIT;
  if (!commit.empty()) text += " (commit " + commit + ")";
  return text;
}

}  // namespace leadproc::cli
