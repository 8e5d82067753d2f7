// What `leadproc` says when the command line names no command or one that does not exist: the
// word it did not know and the commands it does know, instead of CLI11's generic message.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace leadproc::cli {

// Call when app.parse() threw `error`. If a command was expected at some level (the program, or
// a command with commands of its own such as `user`) and none, or an unknown word, was given,
// writes "leadproc: unknown command 'WORD'" (or "leadproc user: a command is required") and the
// commands of that level to `err`, and returns true: the caller exits with status 2. Returns false
// for any other parse error (CLI11 reports those).
bool report_command_error(const CLI::App& app, const CLI::ParseError& error, std::ostream& err);

}  // namespace leadproc::cli
