#include "cli/command_errors.h"

#include <algorithm>
#include <string>
#include <vector>

namespace leadproc::cli {

bool report_command_error(const CLI::App& app, const CLI::ParseError& error, std::ostream& err) {
  // A missing command is a RequiredError; a stray word after a command without positionals an
  // ExtrasError. Anything else (a bad option value, a missing required option) is not ours.
  if (dynamic_cast<const CLI::RequiredError*>(&error) == nullptr &&
      dynamic_cast<const CLI::ExtrasError*>(&error) == nullptr)
    return false;
  // The deepest command given: where a command was expected.
  const CLI::App* level = &app;
  std::string path = "leadproc";  // not app.get_name(): CLI11 sets it to argv[0], a path
  for (auto chosen = level->get_subcommands(); !chosen.empty(); chosen = level->get_subcommands()) {
    level = chosen.front();
    path += " " + level->get_name();
  }
  const auto commands = level->get_subcommands([](const CLI::App*) { return true; });
  if (commands.empty()) return false;
  // Global flags pass up to the program (fallthrough), so a stray word lands in its remainder.
  const std::vector<std::string> rest = app.remaining(true);
  const auto word = std::find_if(rest.begin(), rest.end(),
                                 [](const std::string& a) { return !a.starts_with("-"); });
  if (word != rest.end())
    err << path << ": unknown command '" << *word << "'\n";
  else if (rest.empty())
    err << path << ": a command is required\n";
  else
    return false;  // only unknown options are left: CLI11 names them

  std::size_t width = 0;
  for (const auto* c : commands) width = std::max(width, c->get_name().size());
  err << "commands:\n";
  for (const auto* c : commands)
    err << "  " << c->get_name() << std::string(width - c->get_name().size() + 2, ' ')
        << c->get_description() << "\n";
  err << "Run with --help for more information.\n";
  return true;
}

}  // namespace leadproc::cli
