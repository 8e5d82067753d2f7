// What `leadproc --version` (and `leadproc version`) prints: the project version of the build
// (CMakeLists.txt, project(... VERSION)) and the git commit it was built from, when known.
#pragma once

#include <string>

namespace leadproc::cli {

// "leadproc 0.1.0 (commit 1a2b3c4d5e6f)"; "... (commit 1a2b3c4d5e6f-dirty)" when built with
// uncommitted changes; "leadproc 0.1.0" when built without git.
std::string version_text();

}  // namespace leadproc::cli
